package io.cvmsim.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An HTTP client for tests against the running service that only calls what the OpenAPI document at
 * {@code /v3/api-docs} lists: each call names a path template and method from the document.
 */
public final class DocumentedApi {

  /** An answer. */
  public record Answer(int status, HttpResponse<String> response, JsonNode json) {
    /** Returns a header, or null. */
    public String header(String name) {
      return response.headers().firstValue(name).orElse(null);
    }

    /** Returns the body as text. */
    public String text() {
      return response.body();
    }
  }

  private final String base;
  private final HttpClient http;
  private final JsonMapper json = JsonMapper.builder().build();
  private final Map<String, Set<String>> operations = new HashMap<>();
  private final JsonNode document;

  /** Loads the document of the service at {@code port}. */
  public DocumentedApi(int port) throws IOException, InterruptedException {
    this.base = "http://127.0.0.1:" + port;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpResponse<String> doc =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/v3/api-docs")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(doc.statusCode()).isEqualTo(200);
    this.document = json.readTree(doc.body());
    document
        .get("paths")
        .properties()
        .forEach(
            e -> {
              Set<String> methods = new HashSet<>();
              e.getValue().propertyNames().forEach(m -> methods.add(m.toUpperCase(Locale.ROOT)));
              operations.put(e.getKey(), methods);
            });
  }

  /** Returns the OpenAPI document. */
  public JsonNode document() {
    return document;
  }

  /** Returns the documented methods of every path template. */
  public Map<String, Set<String>> operations() {
    return operations;
  }

  /** Calls a documented operation with JSON in and out. */
  public Answer call(String method, String template, String body, Object... vars)
      throws IOException, InterruptedException {
    return call(method, template, "application/json", "application/json", body, vars);
  }

  /**
   * Calls a documented operation. {@code template} may end with a query string, which is not part
   * of the template the document is checked for.
   */
  public Answer call(
      String method,
      String template,
      String accept,
      String contentType,
      String body,
      Object... vars)
      throws IOException, InterruptedException {
    String pathTemplate = template.replaceAll("\\?.*", "");
    assertThat(operations)
        .as("the OpenAPI document lists " + pathTemplate)
        .containsKey(pathTemplate);
    assertThat(operations.get(pathTemplate))
        .as("the OpenAPI document lists " + method + " " + pathTemplate)
        .contains(method);
    String path = template;
    for (Object v : vars) {
      path = path.replaceFirst("\\{[^}]+}", String.valueOf(v));
    }
    HttpRequest.Builder req =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(60))
            .header("Accept", accept);
    if (body != null) {
      req.header("Content-Type", contentType)
          .method(method, HttpRequest.BodyPublishers.ofString(body));
    } else {
      req.method(method, HttpRequest.BodyPublishers.noBody());
    }
    HttpResponse<String> res = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
    String type = res.headers().firstValue("Content-Type").orElse("");
    JsonNode node =
        type.contains("json") && !res.body().isEmpty() ? json.readTree(res.body()) : null;
    return new Answer(res.statusCode(), res, node);
  }

  /** Returns the underlying client, for requests outside the document (e.g. chunked bodies). */
  public HttpClient http() {
    return http;
  }

  /** Returns the base URL. */
  public String base() {
    return base;
  }
}
