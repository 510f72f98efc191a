package io.cvmsim.metrics;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A Prometheus server run as a child process of the test, on a free loopback port, with its data
 * and log in a directory of the test. {@link #close()} ends exactly this process (and a JVM
 * shutdown hook does, should the test JVM be stopped first).
 */
final class PrometheusServer implements AutoCloseable {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private final Process process;
  private final Thread shutdownHook;
  private final Path log;
  private final URI base;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private PrometheusServer(Process process, Path log, URI base) {
    this.process = process;
    this.log = log;
    this.base = base;
    this.shutdownHook = new Thread(process::destroy, "stop-prometheus-" + process.pid());
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** Returns the Prometheus binary: {@code prometheus} on the PATH, else /usr/bin/prometheus. */
  static Path binary() throws NoSuchFileException {
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(File.pathSeparator)) {
        Path candidate = Path.of(dir.isEmpty() ? "." : dir, "prometheus");
        if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
          return candidate;
        }
      }
    }
    Path usual = Path.of("/usr/bin/prometheus");
    if (Files.isExecutable(usual)) {
      return usual;
    }
    throw new NoSuchFileException("prometheus", null, "not on the PATH, nor /usr/bin/prometheus");
  }

  /** Returns the first line of {@code prometheus --version}; throws if it does not run. */
  static String version() throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(binary().toString(), "--version").redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("prometheus --version did not finish in 30s");
    }
    if (p.exitValue() != 0) {
      throw new IOException("prometheus --version exited with " + p.exitValue() + ": " + out);
    }
    return out.lines().findFirst().orElse("");
  }

  /**
   * Starts Prometheus with {@code config} (a prometheus.yml) written into {@code dir}, which also
   * holds its TSDB and log, and waits until it is ready.
   */
  static PrometheusServer start(Path dir, String config) throws IOException, InterruptedException {
    Path configFile = Files.writeString(dir.resolve("prometheus.yml"), config);
    Path data = Files.createDirectories(dir.resolve("data"));
    Path log = dir.resolve("prometheus.log");
    int port = freePort();
    Process process =
        new ProcessBuilder(
                List.of(
                    binary().toString(),
                    "--config.file=" + configFile,
                    "--storage.tsdb.path=" + data,
                    "--web.listen-address=127.0.0.1:" + port))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    process.getOutputStream().close();
    PrometheusServer server =
        new PrometheusServer(process, log, URI.create("http://127.0.0.1:" + port));
    try {
      server.awaitReady();
    } catch (IOException | InterruptedException | RuntimeException | Error e) {
      server.close();
      throw e;
    }
    return server;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private void awaitReady() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("prometheus exited with " + process.exitValue() + ":\n" + log());
      }
      try {
        HttpResponse<String> ready =
            http.send(
                HttpRequest.newBuilder(base.resolve("/-/ready"))
                    .timeout(Duration.ofSeconds(5))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (ready.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new AssertionError("prometheus not ready after " + START_TIMEOUT + ":\n" + log());
  }

  /**
   * Returns the answer of the HTTP API's instant query for {@code promql} at the current time: the
   * whole JSON body, {@code status} "success" or "error" (a parse error is HTTP 400 with a body).
   */
  JsonNode query(String promql) throws IOException, InterruptedException {
    URI uri =
        base.resolve("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
            HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(response.body());
  }

  /**
   * Waits until {@code condition} (a PromQL expression) returns data, polling every 500 ms.
   *
   * @throws AssertionError after {@code timeout}, with Prometheus's log
   */
  void awaitData(String condition, Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      last = query(condition);
      if (hasData(last)) {
        return;
      }
      Thread.sleep(500);
    }
    throw new AssertionError(
        "no data for " + condition + " after " + timeout + ": " + last + "\n" + log());
  }

  /** Returns whether a query answer succeeded with a non-empty result. */
  static boolean hasData(JsonNode answer) {
    return "success".equals(answer.path("status").asString())
        && answer.path("data").path("result").size() > 0;
  }

  /** Returns what Prometheus logged so far. */
  String log() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stops the process: SIGTERM, then SIGKILL after 10 s. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // the JVM is exiting; the hook runs anyway and finds the process gone
    }
  }
}
