package io.cvmsim.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.cvmsim.api.DocumentedApi.Answer;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * The whole service on a random port, driven only through the operations its OpenAPI document
 * lists: create a VM, allocate, accept, free, read every view, run a workload and two experiments,
 * delete.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
class ApiEndToEndTest {

  /** Every path of the contract (API.md), with its methods. */
  static final Map<String, Set<String>> CONTRACT =
      Map.ofEntries(
          Map.entry("/api/v1/vms", Set.of("GET", "POST")),
          Map.entry("/api/v1/vms/{id}", Set.of("GET", "DELETE")),
          Map.entry("/api/v1/vms/{id}/efi/memory-map", Set.of("GET")),
          Map.entry("/api/v1/vms/{id}/efi/unaccepted-table", Set.of("GET")),
          Map.entry("/api/v1/vms/{id}/accept", Set.of("POST")),
          Map.entry("/api/v1/vms/{id}/unaccepted", Set.of("GET")),
          Map.entry("/api/v1/vms/{id}/accept-log", Set.of("GET")),
          Map.entry("/api/v1/vms/{id}/allocations", Set.of("POST")),
          Map.entry("/api/v1/vms/{id}/frees", Set.of("POST")),
          Map.entry("/api/v1/vms/{id}/meminfo", Set.of("GET")),
          Map.entry("/api/v1/vms/{id}/vmstat", Set.of("GET")),
          Map.entry("/api/v1/vms/{id}/buddyinfo", Set.of("GET")),
          Map.entry("/api/v1/vms/{id}/pagetypeinfo", Set.of("GET")),
          Map.entry("/api/v1/vms/{id}/zoneinfo", Set.of("GET")),
          Map.entry("/api/v1/vms/{id}/extfrag", Set.of("GET")),
          Map.entry("/api/v1/vms/{id}/host", Set.of("GET")),
          Map.entry("/api/v1/vms/{id}/snapshot", Set.of("GET")),
          Map.entry("/api/v1/vms/{id}/boot", Set.of("GET", "POST")),
          Map.entry("/api/v1/vms/{id}/workloads", Set.of("POST")),
          Map.entry("/api/v1/jobs/{jobId}", Set.of("GET")),
          Map.entry("/api/v1/experiments/boot-time", Set.of("POST")),
          Map.entry("/api/v1/experiments/fragmentation", Set.of("POST")),
          Map.entry("/api/v1/scenarios", Set.of("POST")));

  @LocalServerPort int port;
  DocumentedApi api;

  @BeforeEach
  void loadDocument() throws Exception {
    api = new DocumentedApi(port);
  }

  @Test
  void openApiDocument_listsEveryContractPath_andDescribesEveryOperation() {
    for (var e : CONTRACT.entrySet()) {
      assertThat(api.operations()).as(e.getKey()).containsKey(e.getKey());
      assertThat(api.operations().get(e.getKey())).as(e.getKey()).containsAll(e.getValue());
    }
    JsonNode paths = api.document().get("paths");
    paths
        .properties()
        .forEach(
            p ->
                p.getValue()
                    .properties()
                    .forEach(
                        op -> {
                          assertThat(op.getValue().path("summary").asString())
                              .as(op.getKey() + " " + p.getKey())
                              .isNotBlank();
                          assertThat(op.getValue().path("description").asString())
                              .as(op.getKey() + " " + p.getKey())
                              .isNotBlank();
                        }));
    JsonNode memory = api.document().at("/components/schemas/CreateVmRequest/properties/memory");
    assertThat(memory.path("example").asString()).isEqualTo("64GiB");
    List<String> types = new ArrayList<>();
    memory.path("oneOf").forEach(s -> types.add(s.path("type").asString()));
    assertThat(types).containsExactlyInAnyOrder("integer", "string");
    assertThat(api.document().at("/components/schemas/Problem/properties/errors")).isNotNull();
    JsonNode allocated =
        api.document()
            .at("/paths/~1api~1v1~1vms~1{id}~1allocations/post/responses/201/content")
            .path("application/json");
    assertThat(allocated.path("examples").propertyNames())
        .containsExactlyInAnyOrder("blocks", "pfns", "summary");
    assertThat(allocated.path("schema").path("oneOf").size()).isEqualTo(3);
    assertThat(
            api.document()
                .at("/paths/~1api~1v1~1vms~1{id}~1allocations/post/requestBody/content")
                .path("application/json")
                .path("examples")
                .propertyNames())
        .containsExactlyInAnyOrder("blocks", "pfns", "summary");
    assertThat(
            api.document()
                .at("/paths/~1api~1v1~1vms~1{id}~1frees/post/requestBody/content")
                .path("application/json")
                .path("examples")
                .propertyNames())
        .containsExactlyInAnyOrder("pfns", "batch");
  }

  @Test
  void aVmsWholeLife_throughDocumentedOperationsOnly() throws Exception {
    Answer created =
        api.call("POST", "/api/v1/vms", "{\"name\":\"e2e\",\"memory\":\"2GiB\",\"vcpus\":2}");
    assertThat(created.status()).isEqualTo(201);
    String id = created.json().get("id").asString();
    assertThat(created.header("Location")).isEqualTo("/api/v1/vms/" + id);
    assertThat(created.header("X-Request-Id")).isNotBlank();

    assertThat(api.call("GET", "/api/v1/vms/{id}", null, "e2e").json().get("id").asString())
        .isEqualTo(id);
    assertThat(api.call("GET", "/api/v1/vms?size=100", null).json().get("total").asInt())
        .isPositive();

    Answer alloc =
        api.call(
            "POST",
            "/api/v1/vms/{id}/allocations",
            "{\"order\":1,\"count\":10,\"gfp\":\"GFP_KERNEL\"}",
            id);
    assertThat(alloc.status()).isEqualTo(201);
    assertThat(alloc.json().get("failed").asInt()).isZero();
    List<Long> pfns = new ArrayList<>();
    alloc.json().get("allocations").forEach(a -> pfns.add(a.get("pfn").asLong()));

    Answer accepted =
        api.call(
            "POST",
            "/api/v1/vms/{id}/accept",
            "{\"start\":\"0x40000000\",\"end\":\"0x40200000\"}",
            id);
    assertThat(accepted.status()).isEqualTo(200);
    assertThat(accepted.json().get("accepted").size()).isPositive();
    Answer contains =
        api.call("GET", "/api/v1/vms/{id}/unaccepted?start=0x40000000&end=0x40200000", null, id);
    assertThat(contains.json().get("containsUnaccepted").asBoolean()).isFalse();

    Answer freed =
        api.call(
            "POST",
            "/api/v1/vms/{id}/frees",
            "{\"pfns\":" + pfns.toString().replace(" ", "") + "}",
            id);
    assertThat(freed.status()).isEqualTo(200);
    assertThat(freed.json().get("freed").asInt()).isEqualTo(10);
    Answer counted =
        api.call(
            "POST",
            "/api/v1/vms/{id}/allocations",
            "{\"count\":100,\"gfp\":\"GFP_HIGHUSER_MOVABLE\",\"result\":\"summary\"}",
            id);
    assertThat(counted.status()).isEqualTo(201);
    assertThat(counted.json().get("allocated").asInt()).isEqualTo(100);
    Answer pfnsOnly =
        api.call("POST", "/api/v1/vms/{id}/allocations", "{\"count\":3,\"result\":\"pfns\"}", id);
    assertThat(pfnsOnly.json().get("pfns").size()).isEqualTo(3);
    for (Answer made : List.of(counted, pfnsOnly)) {
      Answer freedBatch =
          api.call(
              "POST",
              "/api/v1/vms/{id}/frees",
              "{\"batch\":\"" + made.json().get("batch").asString() + "\"}",
              id);
      assertThat(freedBatch.status()).isEqualTo(200);
      assertThat(freedBatch.json().get("freed").asInt()).isEqualTo(made == counted ? 100 : 3);
    }

    for (String view : List.of("meminfo", "vmstat", "buddyinfo", "pagetypeinfo", "zoneinfo")) {
      Answer j = api.call("GET", "/api/v1/vms/{id}/" + view, null, id);
      assertThat(j.status()).as(view).isEqualTo(200);
      assertThat(j.json()).as(view).isNotNull();
      Answer t = api.call("GET", "/api/v1/vms/{id}/" + view, "text/plain", null, null, id);
      assertThat(t.status()).as(view).isEqualTo(200);
      assertThat(t.header("Content-Type")).startsWith("text/plain");
    }
    assertThat(api.call("GET", "/api/v1/vms/{id}/meminfo", "text/plain", null, null, id).text())
        .startsWith("MemTotal:")
        .contains("Unaccepted:");
    assertThat(api.call("GET", "/api/v1/vms/{id}/extfrag", null, id).json().get("zones").size())
        .isPositive();
    for (String file : List.of("extfrag_index", "unusable_index")) {
      assertThat(
              api.call("GET", "/api/v1/vms/{id}/extfrag?file=" + file, "text/plain", null, null, id)
                  .text())
          .startsWith("Node 0, zone      DMA");
    }
    assertThat(api.call("GET", "/api/v1/vms/{id}/efi/memory-map", null, id).json().size())
        .isPositive();
    assertThat(
            api.call("GET", "/api/v1/vms/{id}/efi/unaccepted-table", null, id)
                .json()
                .get("present")
                .asBoolean())
        .isTrue();
    Answer log = api.call("GET", "/api/v1/vms/{id}/accept-log?after=0&limit=1000", null, id);
    assertThat(log.json().size()).isPositive();
    assertThat(log.header("X-Accept-Log-Dropped")).isEqualTo("0");
    assertThat(
            api.call("GET", "/api/v1/vms/{id}/host", null, id).json().get("backedBytes").asLong())
        .isPositive();
    assertThat(api.call("GET", "/api/v1/vms/{id}/boot", null, id).json().get("stage").asString())
        .isEqualTo("KERNEL");
    assertThat(api.call("POST", "/api/v1/vms/{id}/boot", null, id).status()).isEqualTo(200);

    Answer job =
        api.call(
            "POST",
            "/api/v1/vms/{id}/workloads",
            "{\"type\":\"memory-hog\",\"fill\":0.2,\"seed\":5}",
            id);
    assertThat(job.status()).isEqualTo(202);
    String jobId = job.json().get("id").asString();
    assertThat(job.header("Location")).isEqualTo("/api/v1/jobs/" + jobId);
    JsonNode done = awaitJob(jobId);
    assertThat(done.get("state").asString()).isEqualTo("SUCCEEDED");
    assertThat(done.get("progress").asDouble()).isEqualTo(1.0);
    assertThat(done.get("result").get("seed").asLong()).isEqualTo(5);
    assertThat(api.call("GET", "/api/v1/vms/{id}/jobs", null, id).json().get("total").asInt())
        .isEqualTo(1);

    Answer table =
        api.call(
            "POST",
            "/api/v1/experiments/boot-time",
            "{\"platforms\":[\"TDX\",\"SNP\"],\"memorySizes\":[\"1GiB\"],"
                + "\"policies\":[\"EAGER\",\"LAZY\"],\"vcpus\":2}");
    assertThat(table.status()).isEqualTo(200);
    assertThat(table.json().get("rows").size()).isEqualTo(4);
    assertThat(table.json().get("speedups").size()).isEqualTo(2);
    Answer csv =
        api.call(
            "POST",
            "/api/v1/experiments/boot-time",
            "text/csv",
            "application/json",
            "{\"platforms\":[\"TDX\"],\"memorySizes\":[\"1GiB\"]}");
    assertThat(csv.status()).isEqualTo(200);
    assertThat(csv.text().lines()).hasSize(3);

    Answer study =
        api.call(
            "POST",
            "/api/v1/experiments/fragmentation",
            "{\"workload\":{\"type\":\"kernel-build\",\"events\":2000},\"memory\":\"1GiB\","
                + "\"seeds\":[1],\"vcpus\":2}");
    assertThat(study.status()).isEqualTo(202);
    String studyId = study.json().get("id").asString();
    assertThat(awaitJob(studyId).get("state").asString()).isEqualTo("SUCCEEDED");
    assertThat(api.call("DELETE", "/api/v1/jobs/{jobId}", null, studyId).status()).isEqualTo(200);

    assertThat(api.call("DELETE", "/api/v1/vms/{id}", null, id).status()).isEqualTo(204);
    Answer gone = api.call("GET", "/api/v1/vms/{id}", null, id);
    assertThat(gone.status()).isEqualTo(404);
    assertThat(gone.header("Content-Type")).isEqualTo("application/problem+json");
    assertThat(api.call("GET", "/api/v1/jobs/{jobId}", null, jobId).status()).isEqualTo(404);
  }

  @Test
  void chunkedBodyOverMaxRequestBytes_is413() throws Exception {
    byte[] big = new byte[17 << 20];
    java.util.Arrays.fill(big, (byte) ' ');
    big[0] = '{';
    big[big.length - 1] = '}';
    HttpResponse<String> res =
        api.http()
            .send(
                HttpRequest.newBuilder(URI.create(api.base() + "/api/v1/vms"))
                    .header("Content-Type", "application/json")
                    .POST(
                        HttpRequest.BodyPublishers.ofInputStream(
                            () -> new ByteArrayInputStream(big)))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(res.statusCode()).isEqualTo(413);
    assertThat(res.body()).contains("https://cvmsim.io/problems/too-large");
  }

  @Test
  void aYamlScenario_runsAsAJob_throughTheDocumentedOperation() throws Exception {
    JsonNode op = api.document().at("/paths/~1api~1v1~1scenarios/post/requestBody/content");
    assertThat(op.path("application/yaml").path("examples").isEmpty()).isFalse();
    assertThat(op.path("application/json").path("examples").isEmpty()).isFalse();

    Answer queued =
        api.call(
            "POST",
            "/api/v1/scenarios",
            "application/json",
            "application/yaml",
            "name: e2e\nvms: [{name: g, memory: 1GiB}]\nexpect: [meminfo.MemTotal > 512MiB]\n");
    assertThat(queued.status()).isEqualTo(202);
    String job = queued.json().get("id").asString();
    assertThat(queued.header("Location")).isEqualTo("/api/v1/jobs/" + job);

    JsonNode done = awaitJob(job);
    assertThat(done.get("state").asString()).isEqualTo("SUCCEEDED");
    assertThat(done.at("/result/passed").asBoolean()).isTrue();
    assertThat(done.at("/result/expectations/0/status").asString()).isEqualTo("PASSED");

    Answer bad =
        api.call(
            "POST",
            "/api/v1/scenarios",
            "application/json",
            "application/yaml",
            "name: e2e\nvms: [{name: g, memory: 1GiB}]\nexpect: [meminfo.Nope > 0]\n");
    assertThat(bad.status()).isEqualTo(422);
    assertThat(bad.json().at("/errors/0/line").asInt()).isEqualTo(3);
    assertThat(bad.json().at("/errors/0/column").asInt()).isEqualTo(18);
  }

  private JsonNode awaitJob(String id) throws Exception {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (true) {
      JsonNode j = api.call("GET", "/api/v1/jobs/{jobId}", null, id).json();
      String state = j.get("state").asString();
      if (!state.equals("QUEUED") && !state.equals("RUNNING")) {
        return j;
      }
      assertThat(System.nanoTime()).as("job " + id + " finishes in time").isLessThan(deadline);
      Thread.sleep(25);
    }
  }
}
