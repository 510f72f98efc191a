package io.cvmsim.api.vm;

import static org.assertj.core.api.Assertions.assertThat;

import io.cvmsim.api.DocumentedApi;
import io.cvmsim.api.DocumentedApi.Answer;
import io.cvmsim.api.TestVms;
import io.cvmsim.core.snapshot.SnapshotFormat;
import io.cvmsim.core.vm.VmRegistry;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Snapshots over HTTP: export a VM, import it under another name, and every view of the copy
 * answers byte for byte as the original's, in JSON and in the kernel's text; a broken snapshot is a
 * problem that creates nothing.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SnapshotApiTest {

  static final String TYPE = SnapshotFormat.MEDIA_TYPE;

  /** Every view of a VM, by path under /api/v1/vms/{id}, with the media type asked for. */
  static final List<String[]> VIEWS =
      List.of(
          new String[] {"/meminfo", "text/plain"},
          new String[] {"/meminfo", "application/json"},
          new String[] {"/vmstat", "text/plain"},
          new String[] {"/vmstat", "application/json"},
          new String[] {"/buddyinfo", "text/plain"},
          new String[] {"/buddyinfo", "application/json"},
          new String[] {"/pagetypeinfo", "text/plain"},
          new String[] {"/pagetypeinfo", "application/json"},
          new String[] {"/zoneinfo", "text/plain"},
          new String[] {"/zoneinfo", "application/json"},
          new String[] {"/extfrag", "text/plain"},
          new String[] {"/extfrag?file=unusable_index", "text/plain"},
          new String[] {"/extfrag", "application/json"},
          new String[] {"/efi/memory-map", "application/json"},
          new String[] {"/efi/unaccepted-table", "application/json"},
          new String[] {"/accept-log", "application/json"},
          new String[] {"/host", "application/json"},
          new String[] {"/boot", "application/json"},
          new String[] {"/memory-map?buckets=4096", "application/json"},
          new String[] {"/unaccepted?start=0&end=0x200000000", "application/json"});

  @LocalServerPort int port;
  @Autowired VmRegistry registry;
  DocumentedApi api;
  final JsonMapper json = JsonMapper.builder().build();

  @BeforeEach
  void loadDocument() throws Exception {
    api = new DocumentedApi(port);
  }

  @AfterEach
  void deleteVms() {
    TestVms.deleteAll(registry);
  }

  @Test
  void importedSnapshot_answersEveryViewByteForByte_underItsNewName() throws Exception {
    String id = create("{\"name\":\"orig\",\"memory\":\"3GiB\",\"kernel\":\"mainline\"}");
    api.call("POST", "/api/v1/vms/{id}/allocations", "{\"order\":2,\"count\":5000}", id);
    api.call(
        "POST",
        "/api/v1/vms/{id}/accept",
        "{\"start\":\"0x100000000\",\"end\":\"0x108000000\"}",
        id);

    HttpResponse<byte[]> exported = export("orig");
    assertThat(exported.statusCode()).isEqualTo(200);
    assertThat(exported.headers().firstValue("Content-Type")).hasValue(TYPE);
    assertThat(exported.headers().firstValue("Content-Disposition"))
        .hasValue("attachment; filename=\"orig.cvmsnap\"");

    HttpResponse<String> imported = importSnapshot(exported.body(), "?name=copy");
    assertThat(imported.statusCode()).as(imported.body()).isEqualTo(201);
    String copy = json.readTree(imported.body()).get("id").asString();
    assertThat(imported.headers().firstValue("Location")).hasValue("/api/v1/vms/" + copy);
    assertThat(copy).isNotEqualTo(id);

    for (String[] view : VIEWS) {
      assertThat(view(copy, view)).as(view[0] + " " + view[1]).isEqualTo(view(id, view));
    }
    JsonNode a = json.readTree(api.call("GET", "/api/v1/vms/{id}", null, id).text());
    JsonNode b = json.readTree(api.call("GET", "/api/v1/vms/{id}", null, copy).text());
    assertThat(b.get("name").asString()).isEqualTo("copy");
    assertThat(b.get("memory")).isEqualTo(a.get("memory"));
    assertThat(b.get("createdAt")).isEqualTo(a.get("createdAt"));
  }

  @Test
  void brokenSnapshots_areProblems_thatNameWhatIsWrong_andCreateNothing() throws Exception {
    create("{\"name\":\"orig\",\"memory\":\"1GiB\"}");
    byte[] good = export("orig").body();
    byte[] newer = good.clone();
    newer[9] = 2;

    assertProblem(importSnapshot(Arrays.copyOf(good, good.length / 2), ""), 400, "truncated");
    assertProblem(importSnapshot(newer, "?name=x"), 400, "format version 2");
    assertProblem(importSnapshot(good, ""), 409, "already exists");
    assertProblem(importSnapshot(good, "?name=Bad_Name"), 400, "name must match");
    assertThat(registry.size()).isEqualTo(1);
  }

  @Test
  void snapshotOfAnUnknownVm_isAProblem_evenWhenOnlySnapshotsAreAccepted() throws Exception {
    HttpResponse<byte[]> r = export("nope");

    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
  }

  @Test
  void openApiDocument_listsBothOperations_withTheSnapshotMediaTypeAndAnExample() {
    JsonNode paths = api.document().get("paths");
    JsonNode get = paths.get("/api/v1/vms/{id}/snapshot").get("get");
    JsonNode post = paths.get("/api/v1/vms").get("post");

    assertThat(get.at("/responses/200/content").has(TYPE)).isTrue();
    assertThat(post.at("/requestBody/content").has(TYPE)).isTrue();
    assertThat(post.at("/requestBody/content").has("application/json")).isTrue();
    assertThat(post.at("/requestBody/content").get(TYPE).has("examples")).isTrue();
  }

  private void assertProblem(HttpResponse<String> r, int status, String detail) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(json.readTree(r.body()).get("detail").asString()).contains(detail);
  }

  private String create(String body) throws Exception {
    Answer a = api.call("POST", "/api/v1/vms", body);
    assertThat(a.status()).as(a.text()).isEqualTo(201);
    return a.json().get("id").asString();
  }

  private String view(String id, String[] view) throws Exception {
    Answer a = api.call("GET", "/api/v1/vms/{id}" + view[0], view[1], null, null, id);
    assertThat(a.status()).as(view[0] + ": " + a.text()).isEqualTo(200);
    return a.text();
  }

  private HttpResponse<byte[]> export(String id) throws Exception {
    api.call("GET", "/api/v1/vms/{id}/snapshot", TYPE, null, null, "x");
    return api.http()
        .send(
            HttpRequest.newBuilder(URI.create(api.base() + "/api/v1/vms/" + id + "/snapshot"))
                .header("Accept", TYPE)
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
  }

  private HttpResponse<String> importSnapshot(byte[] body, String query) throws Exception {
    return api.http()
        .send(
            HttpRequest.newBuilder(URI.create(api.base() + "/api/v1/vms" + query))
                .header("Content-Type", TYPE)
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }
}
