package io.cvmsim.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.cvmsim.api.MalformedRequests.Malformation;
import io.cvmsim.api.MalformedRequests.Operation;
import io.cvmsim.core.jobs.JobManager;
import io.cvmsim.core.stats.ProcFormat;
import io.cvmsim.core.vm.GuestVm;
import io.cvmsim.core.vm.VmRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Malformed requests, generated for every operation of the OpenAPI document and sent over a real
 * socket to the whole service (with an API token, as a guarded deployment runs): every class of
 * {@link MalformedRequests#catalogue} once per operation it applies to, then random ones until the
 * time budget is spent. Each answer must be no 5xx; a 4xx must be an RFC 9457 problem carrying the
 * request's id; a class the service must refuse must get a 4xx; and nothing may change: the VM
 * list, the target VM's /proc/meminfo text and accept log, and the job list are the same
 * afterwards.
 *
 * <p>Random but repeatable: the seed is logged, and {@code -Dmalformed.seed=N} repeats a run;
 * {@code -Dmalformed.seconds=S} sets the budget (default 5 s; the first round over every pair
 * always runs to the end).
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "cvmsim.security.api-token=" + MalformedRequestTest.TOKEN)
class MalformedRequestTest {

  static final String TOKEN = "malformed-request-test-token";

  private static final Logger log = LoggerFactory.getLogger(MalformedRequestTest.class);
  private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");
  private static final String PROBLEM_TYPES = "https://cvmsim.io/problems/";
  private static final int MAX_REPORTED = 30;

  @LocalServerPort int port;

  private final JsonMapper json = JsonMapper.builder().build();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Autowired VmRegistry registry;
  @Autowired JobManager jobs;

  /**
   * Everything a malformed request must leave as it was, read in-process (cheap enough to read
   * after every request).
   */
  record State(List<String> vms, String meminfo, List<?> acceptLog, List<String> jobs) {}

  @Test
  void everyOperation_answersMalformedRequestsWithout5xx_refusesThemAsProblems_andChangesNothing()
      throws Exception {
    long seed = Long.getLong("malformed.seed", new SecureRandom().nextLong() & Long.MAX_VALUE);
    double seconds = Double.parseDouble(System.getProperty("malformed.seconds", "5"));
    log.info("seed {} (repeat with -Dmalformed.seed={}), budget {} s", seed, seed, seconds);
    Random random = new Random(seed);

    String vm = create("/api/v1/vms", "{\"name\":\"malformed-target\",\"memory\":\"2GiB\"}");
    post("/api/v1/vms/" + vm + "/allocations", "{\"order\":0,\"count\":64}");
    post("/api/v1/vms/" + vm + "/accept", "{\"start\":\"0x40000000\",\"end\":\"0x40400000\"}");
    String job =
        create("/api/v1/vms/" + vm + "/workloads", "{\"type\":\"memory-hog\",\"fill\":0.01}");
    awaitEnd(job);

    JsonNode document = json.readTree(get("/v3/api-docs"));
    String trace =
        String.join("\n", Files.readAllLines(Path.of("src/test/resources/traces/perf-script.txt")));
    List<Operation> operations =
        MalformedRequests.operations(document, Map.of("id", vm, "jobId", job), trace);
    List<Malformation> classes = MalformedRequests.catalogue(TOKEN);
    List<Pair> pairs = new ArrayList<>();
    for (Operation op : operations) {
      for (Malformation m : classes) {
        if (m.appliesTo().test(op)) {
          pairs.add(new Pair(op, m));
        }
      }
    }
    assertThat(operations).as("operations in the OpenAPI document").hasSizeGreaterThan(20);
    Collections.shuffle(pairs, random);

    RawHttp raw = new RawHttp(port, 15_000);
    State before = state(vm);
    List<String> failures = new ArrayList<>();
    Map<Integer, Integer> statuses = new TreeMap<>();
    long start = System.nanoTime();
    long deadline = start + (long) (seconds * 1e9);
    int sent = 0;
    while (sent < pairs.size() || System.nanoTime() < deadline) {
      Pair pair = sent < pairs.size() ? pairs.get(sent) : pairs.get(random.nextInt(pairs.size()));
      sent++;
      MalformedRequests.Draft draft = pair.op().draft(TOKEN);
      pair.malformation().mutation().apply(draft, pair.op(), random);
      RawHttp.Request request = draft.build();
      String problem;
      RawHttp.Response response = null;
      try {
        response = raw.send(request);
        statuses.merge(response.status(), 1, Integer::sum);
        problem = check(pair.malformation(), response);
      } catch (IOException e) {
        problem = "no answer: " + e.getMessage();
      }
      if (!pair.op().reads()) {
        State after = state(vm);
        if (!after.equals(before)) {
          problem =
              (problem == null ? "" : problem + "; and ")
                  + "the state changed: "
                  + difference(before, after);
          before = after;
        }
      }
      if (problem != null && failures.size() < MAX_REPORTED) {
        failures.add(report(pair, problem, request, response));
      }
    }
    State after = state(vm);
    if (!after.equals(before)) {
      failures.add("the state changed during the reads: " + difference(before, after));
    }
    log.info(
        "{} requests ({} operations, {} classes, {} pairs, each at least once) in {} s;"
            + " answers by status {}",
        sent,
        operations.size(),
        classes.size(),
        pairs.size(),
        String.format("%.1f", (System.nanoTime() - start) / 1e9),
        statuses);
    assertThat(failures)
        .as(
            "malformed requests answered wrongly (seed %d, repeat with -Dmalformed.seed=%d)",
            seed, seed)
        .isEmpty();
  }

  /** One class of malformed request for one operation. */
  record Pair(Operation op, Malformation malformation) {}

  /** Returns what is wrong with an answer, or null. */
  private String check(Malformation m, RawHttp.Response r) {
    if (r.status() >= 500) {
      return "a " + r.status();
    }
    if (m.refused() && r.status() < 400) {
      return "accepted with " + r.status() + ", but it must be refused";
    }
    String id = r.header("X-Request-Id");
    if (id == null || !REQUEST_ID.matcher(id).matches()) {
      return "no valid X-Request-Id in the answer: " + id;
    }
    if (r.status() < 400) {
      return null;
    }
    if (!"application/problem+json".equals(r.mediaType())) {
      return "a " + r.status() + " that is not a problem: Content-Type " + r.header("Content-Type");
    }
    JsonNode p;
    try {
      p = json.readTree(r.body());
    } catch (RuntimeException e) {
      return "a problem that is not JSON: " + e.getMessage();
    }
    if (!p.path("type").asString("").startsWith(PROBLEM_TYPES)) {
      return "a problem without a cvmsim type: " + p.path("type");
    }
    if (p.path("title").asString("").isBlank() || p.path("detail").asString("").isBlank()) {
      return "a problem without title or detail";
    }
    if (p.path("status").asInt() != r.status()) {
      return "a problem whose status " + p.path("status") + " is not the answer's";
    }
    if (!id.equals(p.path("requestId").asString(""))) {
      return "a problem whose requestId " + p.path("requestId") + " is not the header's " + id;
    }
    return null;
  }

  private static String report(
      Pair pair, String problem, RawHttp.Request request, RawHttp.Response response) {
    String answer =
        response == null
            ? "-"
            : response.status()
                + " "
                + response.header("Content-Type")
                + " "
                + response.body().substring(0, Math.min(400, response.body().length()));
    return pair.malformation()
        + " / "
        + pair.op()
        + ": "
        + problem
        + "\n  request: "
        + request.describe()
        + "\n  answer: "
        + answer;
  }

  private State state(String id) {
    List<GuestVm> vms = registry.list();
    GuestVm vm = vms.stream().filter(v -> v.id().equals(id)).findFirst().orElse(null);
    return new State(
        vms.stream().map(v -> v.summary().toString()).toList(),
        vm == null ? "(the VM is gone)" : ProcFormat.meminfo(vm.memory()),
        vm == null ? List.of() : vm.acceptLog(0, Integer.MAX_VALUE),
        jobs.list(null).stream().map(j -> j.id() + " " + j.state() + " " + j.progress()).toList());
  }

  private static String difference(State before, State after) {
    List<String> changed = new ArrayList<>();
    if (!before.vms().equals(after.vms())) {
      changed.add("VMs " + after.vms());
    }
    if (!before.meminfo().equals(after.meminfo())) {
      changed.add("meminfo");
    }
    if (!before.acceptLog().equals(after.acceptLog())) {
      changed.add("accept log");
    }
    if (!before.jobs().equals(after.jobs())) {
      changed.add("jobs " + after.jobs());
    }
    String all = String.join("; ", changed);
    return all.length() > 600 ? all.substring(0, 600) + "..." : all;
  }

  private String create(String path, String body) throws IOException, InterruptedException {
    return json.readTree(post(path, body)).get("id").asString();
  }

  private String post(String path, String body) throws IOException, InterruptedException {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("POST " + path + ": " + r.body()).isBetween(200, 299);
    return r.body();
  }

  private String get(String path) throws IOException, InterruptedException {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(uri(path)).header("Accept", "application/json").build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("GET " + path + ": " + r.body()).isEqualTo(200);
    return r.body();
  }

  private void awaitEnd(String job) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!Set.of("SUCCEEDED", "FAILED", "CANCELLED")
        .contains(json.readTree(get("/api/v1/jobs/" + job)).get("state").asString())) {
      assertThat(System.nanoTime()).as("job " + job + " ends within 60 s").isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }
}
