package io.cvmsim.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The packaged jar (failsafe's {@code it.jar}) in a subprocess with a state directory: VMs are
 * created and changed, the process is killed with SIGKILL by its PID once an interval has passed,
 * and a new process on the same directory answers every view of them byte for byte, with the job
 * that was running INTERRUPTED; then a change made just before a graceful shutdown (SIGTERM), with
 * no interval passing, survives the next restart too.
 */
class DurableStateIT {

  private static final Logger log = LoggerFactory.getLogger(DurableStateIT.class);

  /** Every view of a VM, under /api/v1/vms/{id}, with the media type asked for. */
  static final List<String[]> VIEWS =
      List.of(
          new String[] {"", "application/json"},
          new String[] {"/meminfo", "text/plain"},
          new String[] {"/meminfo", "application/json"},
          new String[] {"/vmstat", "text/plain"},
          new String[] {"/buddyinfo", "text/plain"},
          new String[] {"/pagetypeinfo", "text/plain"},
          new String[] {"/zoneinfo", "text/plain"},
          new String[] {"/extfrag", "text/plain"},
          new String[] {"/extfrag?file=unusable_index", "text/plain"},
          new String[] {"/efi/memory-map", "application/json"},
          new String[] {"/efi/unaccepted-table", "application/json"},
          new String[] {"/accept-log", "application/json"},
          new String[] {"/host", "application/json"},
          new String[] {"/boot", "application/json"},
          new String[] {"/memory-map?buckets=2048", "application/json"},
          new String[] {"/jobs", "application/json"});

  static Path jar;

  @TempDir Path work;

  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  final JsonMapper json = JsonMapper.builder().build();

  @BeforeAll
  static void findTheJar() {
    String p = System.getProperty("it.jar");
    if (p == null || !Files.isRegularFile(Path.of(p))) {
      throw new IllegalStateException(
          "it.jar must name the packaged jar (failsafe sets it after package): " + p);
    }
    jar = Path.of(p);
  }

  /** One service process on a state directory. */
  final class Service implements AutoCloseable {
    final Process process;
    final int port;
    final Path logFile;

    Service(Path stateDir, String interval, String name) throws Exception {
      try (ServerSocket s = new ServerSocket(0)) {
        port = s.getLocalPort();
      }
      logFile = work.resolve(name + ".log");
      List<String> cmd = new ArrayList<>();
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      cmd.add("-Xmx512m");
      cmd.add("-jar");
      cmd.add(jar.toString());
      cmd.add("--server.port=" + port);
      cmd.add("--server.address=127.0.0.1");
      cmd.add("--cvmsim.state.dir=" + stateDir);
      cmd.add("--cvmsim.state.interval=" + interval);
      cmd.add("--logging.level.io.cvmsim.access=WARN");
      process =
          new ProcessBuilder(cmd)
              .directory(work.toFile())
              .redirectErrorStream(true)
              .redirectOutput(logFile.toFile())
              .start();
      long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
      while (true) {
        assertThat(process.isAlive()).as("the service runs: " + log()).isTrue();
        try {
          if (get("/readyz", "application/json").statusCode() == 200) {
            break;
          }
        } catch (IOException e) {
          // not listening yet
        }
        assertThat(System.nanoTime()).as("ready within 180 s: " + log()).isLessThan(deadline);
        Thread.sleep(200);
      }
    }

    String log() {
      try {
        return Files.readString(logFile);
      } catch (IOException e) {
        return e.toString();
      }
    }

    HttpResponse<String> get(String path, String accept) throws Exception {
      return http.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
              .header("Accept", accept)
              .timeout(Duration.ofSeconds(60))
              .build(),
          HttpResponse.BodyHandlers.ofString());
    }

    JsonNode post(String path, String body) throws Exception {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                  .header("Content-Type", "application/json")
                  .header("Accept", "application/json")
                  .timeout(Duration.ofSeconds(60))
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as("POST " + path + ": " + r.body()).isBetween(200, 299);
      return json.readTree(r.body());
    }

    JsonNode job(String id) throws Exception {
      return json.readTree(get("/api/v1/jobs/" + id, "application/json").body());
    }

    /** Every view of a VM: the answer's status, and its body when it is a 200. */
    Map<String, String> views(String vm) throws Exception {
      Map<String, String> out = new LinkedHashMap<>();
      for (String[] v : VIEWS) {
        HttpResponse<String> r = get("/api/v1/vms/" + vm + v[0], v[1]);
        out.put(v[0] + " " + v[1], r.statusCode() + (r.statusCode() == 200 ? " " + r.body() : ""));
      }
      return out;
    }

    /** SIGKILL, by the process's PID. */
    void kill() throws InterruptedException {
      log.info("kill -9 {}", process.pid());
      process.destroyForcibly();
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }

    /** SIGTERM: a graceful shutdown. */
    void stop() throws InterruptedException {
      process.destroy();
      assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("stops within 120 s").isTrue();
    }

    @Override
    public void close() throws InterruptedException {
      if (process.isAlive()) {
        process.destroyForcibly();
        process.waitFor(60, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void sigkill_losesAtMostTheLastInterval_runningJobsComeBackInterrupted_shutdownLosesNothing()
      throws Exception {
    long t0 = System.nanoTime();
    Path state = work.resolve("state");
    Map<String, String> steady;
    Map<String, String> stopped;
    String hog;
    String build;
    String hogResult;
    try (Service a = new Service(state, "1s", "first")) {
      a.post("/api/v1/vms", "{\"name\":\"steady\",\"memory\":\"2GiB\",\"kernel\":\"mainline\"}");
      a.post(
          "/api/v1/vms",
          "{\"name\":\"stopped\",\"memory\":\"1GiB\",\"platform\":\"SNP\",\"bootTo\":\"EFI_STUB\"}");
      a.post("/api/v1/vms", "{\"name\":\"busy\",\"memory\":\"4GiB\"}");
      a.post("/api/v1/vms/steady/allocations", "{\"order\":1,\"count\":20000}");
      a.post("/api/v1/vms/stopped/accept", "{\"start\":\"0x10000000\",\"end\":\"0x20000000\"}");
      hog =
          a.post("/api/v1/vms/steady/workloads", "{\"type\":\"memory-hog\",\"fill\":0.2}")
              .get("id")
              .asString();
      build =
          a.post(
                  "/api/v1/vms/busy/workloads",
                  "{\"type\":\"kernel-build\",\"events\":1000000000,\"parallelism\":8}")
              .get("id")
              .asString();
      long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      while (!a.job(hog).get("state").asString().equals("SUCCEEDED")
          || !a.job(build).get("state").asString().equals("RUNNING")) {
        assertThat(System.nanoTime()).as("the hog ends, the build runs").isLessThan(deadline);
        Thread.sleep(100);
      }
      hogResult = a.job(hog).get("result").toString();
      steady = a.views("steady");
      stopped = a.views("stopped");
      Thread.sleep(3000); // three intervals: every change above has been written

      a.kill();
    }

    try (Service b = new Service(state, "1h", "second")) {
      assertThat(b.views("steady")).isEqualTo(steady);
      assertThat(b.views("stopped")).isEqualTo(stopped);
      JsonNode interrupted = b.job(build);
      assertThat(interrupted.get("state").asString()).isEqualTo("INTERRUPTED");
      assertThat(interrupted.get("vmId").asString())
          .isEqualTo(
              json.readTree(b.get("/api/v1/vms/busy", "application/json").body())
                  .get("id")
                  .asString());
      assertThat(b.job(hog).get("state").asString()).isEqualTo("SUCCEEDED");
      assertThat(b.job(hog).get("result").toString()).isEqualTo(hogResult);
      assertThat(b.get("/api/v1/vms/busy/meminfo", "text/plain").statusCode()).isEqualTo(200);

      b.post("/api/v1/vms/stopped/boot", "");
      b.post("/api/v1/vms/busy/allocations", "{\"order\":0,\"count\":777}");
      stopped = b.views("stopped");
      Map<String, String> busy = b.views("busy");
      b.stop(); // the interval is an hour: only the shutdown writes these changes

      try (Service c = new Service(state, "1h", "third")) {
        assertThat(c.views("stopped")).isEqualTo(stopped);
        assertThat(c.views("busy")).isEqualTo(busy);
        assertThat(c.views("steady")).isEqualTo(steady);
        c.stop();
      }
    }
    assertThat(state.resolve("rejected")).doesNotExist();
    log.info(
        "durability IT: three starts, a SIGKILL and a SIGTERM in {} s",
        (System.nanoTime() - t0) / 1_000_000_000);
  }
}
