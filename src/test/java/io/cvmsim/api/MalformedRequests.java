package io.cvmsim.api;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Malformed requests as a hostile or broken client sends them, made from a well-formed request to
 * an operation of the OpenAPI document by one malformation. Each {@link Malformation} is a class of
 * them with random variants: either one the service must refuse with a 4xx whatever the operation,
 * or one that is odd but harmless, tried only on reads (which may answer 2xx).
 */
final class MalformedRequests {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Set<String> METHODS = Set.of("get", "post", "put", "patch", "delete");
  private static final String RAW = "@@raw@@";

  private MalformedRequests() {}

  /**
   * A documented operation with a well-formed request to start from.
   *
   * @param method the HTTP method
   * @param template the documented path template
   * @param pathMethods every method documented for the path
   * @param path the template with its variables filled in
   * @param queryNames the documented query parameters
   * @param query the required query parameters with their examples, or null
   * @param contentType the media type of the body, or null when the operation takes none
   * @param body the body: the document's example, or one made from its schema's examples
   * @param schema the body's schema with its $ref resolved, or null
   * @param document the whole OpenAPI document, to resolve the schema's inner $refs
   */
  record Operation(
      String method,
      String template,
      Set<String> pathMethods,
      String path,
      List<String> queryNames,
      String query,
      String contentType,
      String body,
      JsonNode schema,
      JsonNode document) {

    boolean reads() {
      return method.equals("GET");
    }

    boolean takesBody() {
      return contentType != null;
    }

    boolean takesJson() {
      return contentType != null && contentType.contains("json");
    }

    boolean takesText() {
      return contentType != null && contentType.startsWith("text/");
    }

    /** Returns the well-formed request, with the bearer token. */
    Draft draft(String token) {
      Draft d = new Draft(method, path, query);
      d.header("Host", "127.0.0.1");
      d.header("Connection", "close");
      d.header("Accept", "*/*");
      d.header("Authorization", "Bearer " + token);
      if (contentType != null) {
        d.header("Content-Type", contentType);
        d.body = body.getBytes(StandardCharsets.UTF_8);
      }
      return d;
    }

    @Override
    public String toString() {
      return method + " " + template;
    }
  }

  /** A request being made: well formed until a malformation changes it. */
  static final class Draft {
    String method;
    String path;
    String query;
    String version = "HTTP/1.1";
    final List<String> headers = new ArrayList<>();
    byte[] body = new byte[0];
    boolean closeOutput;
    boolean contentLength = true;

    Draft(String method, String path, String query) {
      this.method = method;
      this.path = path;
      this.query = query;
    }

    void header(String name, String value) {
      headers.add(name + ": " + value);
    }

    void remove(String name) {
      headers.removeIf(
          h -> h.toLowerCase(Locale.ROOT).startsWith(name.toLowerCase(Locale.ROOT) + ":"));
    }

    void replace(String name, String value) {
      remove(name);
      header(name, value);
    }

    void body(String text) {
      body = text.getBytes(StandardCharsets.ISO_8859_1);
    }

    String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }

    /** Inserts {@code piece} at a random place of a random segment of the path. */
    void insertIntoPath(Random r, String piece) {
      String[] segments = path.split("/", -1);
      int i = 1 + r.nextInt(segments.length - 1);
      int at = r.nextInt(segments[i].length() + 1);
      segments[i] = segments[i].substring(0, at) + piece + segments[i].substring(at);
      path = String.join("/", segments);
    }

    void addQuery(String rawPair) {
      query = query == null ? rawPair : query + "&" + rawPair;
    }

    RawHttp.Request build() {
      List<String> all = new ArrayList<>(headers);
      boolean framed =
          all.stream()
              .map(h -> h.toLowerCase(Locale.ROOT))
              .anyMatch(h -> h.startsWith("content-length:") || h.startsWith("transfer-encoding:"));
      if (contentLength && !framed && (body.length > 0 || !method.equals("GET"))) {
        all.add("Content-Length: " + body.length);
      }
      String target = query == null ? path : path + "?" + query;
      return new RawHttp.Request(method, target, version, all, body, closeOutput);
    }
  }

  /** Changes a well-formed request into a malformed one of its class. */
  interface Mutation {
    void apply(Draft d, Operation op, Random r);
  }

  /**
   * A class of malformed requests.
   *
   * @param name what is wrong
   * @param refused whether the service must answer 4xx (otherwise anything but a 5xx, on reads)
   * @param appliesTo the operations it is made for
   * @param mutation how a well-formed request becomes one of the class
   */
  record Malformation(
      String name, boolean refused, Predicate<Operation> appliesTo, Mutation mutation) {
    @Override
    public String toString() {
      return name;
    }
  }

  /** Returns every operation of {@code document}, path variables filled from {@code values}. */
  static List<Operation> operations(JsonNode document, Map<String, String> values, String text) {
    List<Operation> ops = new ArrayList<>();
    for (Map.Entry<String, JsonNode> p : document.get("paths").properties()) {
      Set<String> pathMethods = new HashSet<>();
      for (String m : p.getValue().propertyNames()) {
        if (METHODS.contains(m)) {
          pathMethods.add(m.toUpperCase(Locale.ROOT));
        }
      }
      for (Map.Entry<String, JsonNode> o : p.getValue().properties()) {
        if (!METHODS.contains(o.getKey())) {
          continue;
        }
        // one operation per media type its body may have (POST /vms takes JSON or a snapshot)
        List<String> types = new ArrayList<>();
        o.getValue().path("requestBody").path("content").propertyNames().forEach(types::add);
        if (types.isEmpty()) {
          types.add(null);
        }
        for (String type : types) {
          ops.add(
              operation(
                  document, p.getKey(), o.getKey(), o.getValue(), type, pathMethods, values, text));
        }
      }
    }
    return ops;
  }

  private static Operation operation(
      JsonNode doc,
      String template,
      String method,
      JsonNode op,
      String bodyType,
      Set<String> pathMethods,
      Map<String, String> values,
      String text) {
    String path = template;
    List<String> queryNames = new ArrayList<>();
    List<String> query = new ArrayList<>();
    for (JsonNode param : op.path("parameters")) {
      String name = param.get("name").asString();
      String example =
          param.path("example").isMissingNode() ? "1" : param.get("example").asString();
      if (param.get("in").asString().equals("path")) {
        path = path.replace("{" + name + "}", values.getOrDefault(name, example));
      } else if (param.get("in").asString().equals("query")) {
        queryNames.add(name);
        if (param.path("required").asBoolean(false)) {
          query.add(name + "=" + URLEncoder.encode(example, StandardCharsets.UTF_8));
        }
      }
    }
    String contentType = null;
    String body = null;
    JsonNode schema = null;
    JsonNode content = op.path("requestBody").path("content");
    if (bodyType != null) {
      contentType = bodyType;
      JsonNode media = content.get(contentType);
      schema = resolve(media.path("schema"), doc);
      if (contentType.startsWith("text/")) {
        body = text;
      } else if (!media.path("example").isMissingNode()) {
        body = JSON.writeValueAsString(media.get("example"));
      } else if (media.path("examples").size() > 0) {
        body = JSON.writeValueAsString(media.get("examples").iterator().next().get("value"));
      } else {
        body = JSON.writeValueAsString(example(schema, doc));
      }
    }
    return new Operation(
        method.toUpperCase(Locale.ROOT),
        template,
        pathMethods,
        path,
        queryNames,
        query.isEmpty() ? null : String.join("&", query),
        contentType,
        body,
        schema,
        doc);
  }

  /**
   * Returns a value for {@code schema} from the document's examples: its own example, or for an
   * object its required properties and its optional scalar ones that have an example.
   */
  static JsonNode example(JsonNode schema, JsonNode doc) {
    JsonNode s = resolve(schema, doc);
    if (!s.path("example").isMissingNode()) {
      return s.get("example");
    }
    if (!s.path("default").isMissingNode()) {
      return s.get("default");
    }
    if (s.path("type").asString("").equals("array")) {
      return JSON.createArrayNode().add(example(s.path("items"), doc));
    }
    ObjectNode o = JSON.createObjectNode();
    Set<String> required = new HashSet<>();
    s.path("required").forEach(n -> required.add(n.asString()));
    for (Map.Entry<String, JsonNode> p : s.path("properties").properties()) {
      JsonNode ps = resolve(p.getValue(), doc);
      if (required.contains(p.getKey())) {
        o.set(p.getKey(), example(ps, doc));
      } else if (!ps.path("example").isMissingNode() && ps.get("example").isValueNode()) {
        o.set(p.getKey(), ps.get("example"));
      }
    }
    return o;
  }

  static JsonNode resolve(JsonNode schema, JsonNode doc) {
    JsonNode s = schema;
    while (s.has("$ref")) {
      s = doc.at(s.get("$ref").asString().substring(1));
    }
    return s;
  }

  /** Returns the JSON types a schema allows (empty when it says nothing). */
  static Set<String> types(JsonNode schema, JsonNode doc) {
    JsonNode s = resolve(schema, doc);
    Set<String> t = new HashSet<>();
    JsonNode type = s.path("type");
    if (type.isArray()) {
      type.forEach(n -> t.add(n.asString()));
    } else if (!type.isMissingNode()) {
      t.add(type.asString());
    }
    for (String k : List.of("oneOf", "anyOf")) {
      s.path(k).forEach(alt -> t.addAll(types(alt, doc)));
    }
    if (t.isEmpty() && s.has("properties")) {
      t.add("object");
    }
    if (t.isEmpty() && s.has("enum")) {
      t.add("string");
    }
    return t;
  }

  /** Returns the schema of a top-level property of the body, or a missing node. */
  static JsonNode property(Operation op, String name) {
    return op.schema() == null
        ? JSON.missingNode()
        : resolve(op.schema().path("properties").path(name), op.document());
  }

  // ------------------------------------------------------------------ the catalogue

  /** Returns every class of malformed request, for a service whose API token is {@code token}. */
  static List<Malformation> catalogue(String token) {
    Predicate<Operation> all = op -> true;
    Predicate<Operation> body = Operation::takesBody;
    Predicate<Operation> json = Operation::takesJson;
    Predicate<Operation> text = Operation::takesText;
    Predicate<Operation> reads = Operation::reads;
    Predicate<Operation> writes = op -> !op.reads();
    List<Malformation> c = new ArrayList<>();

    // The URL: query string, path, request target.
    c.add(
        refused(
            "query: a bad percent escape",
            all,
            (d, op, r) -> {
              String bad = pick(r, "%ZZ", "%", "%4", "%G0", "a%2", "%%", "%-1");
              d.addQuery(r.nextInt(4) == 0 ? bad + "=1" : queryName(op, r) + "=" + bad);
            }));
    c.add(
        refused(
            "query: escapes that are not UTF-8",
            all,
            (d, op, r) ->
                d.addQuery(
                    queryName(op, r)
                        + "="
                        + pick(
                            r,
                            "%FF",
                            "%C3%28",
                            "%C0%AF",
                            "%ED%A0%80",
                            "%F8%88%80%80%80",
                            "%E2%82"))));
    c.add(
        refused(
            "query: more parameters than the server takes",
            all,
            (d, op, r) -> {
              int n = 1001 + r.nextInt(100);
              StringBuilder q = new StringBuilder();
              for (int i = 0; i < n; i++) {
                q.append(i == 0 ? "" : "&").append('p').append(i).append("=1");
              }
              d.addQuery(q.toString());
            }));
    c.add(
        refused(
            "path: a bad percent escape",
            all,
            (d, op, r) -> d.insertIntoPath(r, pick(r, "%ZZ", "%", "%G0", "%%"))));
    c.add(
        refused(
            "path: escapes that are not UTF-8",
            all,
            (d, op, r) ->
                d.insertIntoPath(r, pick(r, "%FF", "%C3%28", "%C0%AF", "%ED%A0%80", "%80"))));
    c.add(
        refused(
            "path: an encoded separator or NUL",
            all,
            (d, op, r) -> d.insertIntoPath(r, pick(r, "%2F", "%2f", "%5C", "%00", "%2e%2e%2F"))));
    c.add(
        refused(
            "path: path parameters",
            all,
            (d, op, r) -> d.insertIntoPath(r, pick(r, ";", ";x=1", ";jsessionid=0123", ";a;b"))));
    c.add(
        refused(
            "request target: a character it cannot hold",
            all,
            (d, op, r) -> {
              String bad =
                  pick(
                      r, " ", "\"", "<", ">", "\\", "^", "`", "{", "}", "|", "\u007f", "\u0001",
                      "\u00ff", "#x");
              // Followed by a letter: a space at the very end would only be more whitespace
              // before the HTTP version, which the request line may have.
              if (r.nextBoolean()) {
                d.insertIntoPath(r, bad + "z");
              } else {
                d.addQuery("x=" + bad + "z");
              }
            }));
    c.add(
        refused(
            "request target: longer than the server takes",
            all,
            (d, op, r) -> d.insertIntoPath(r, "a".repeat(8200 + r.nextInt(8000)))));

    // The request line and headers.
    c.add(
        refused(
            "HTTP version: one the server does not speak",
            all,
            (d, op, r) ->
                d.version =
                    pick(
                        r,
                        "HTTP/9.9",
                        "HTTP/2.0",
                        "HTTP/1.2",
                        "http/1.1",
                        "HTTP/1",
                        "HTTP/1.1x",
                        "HTTP/0.9",
                        "HTTP/1.10")));
    c.add(
        refused(
            "method: one the path does not take",
            all,
            (d, op, r) -> {
              List<String> others = new ArrayList<>();
              for (String m :
                  List.of(
                      "GET",
                      "POST",
                      "PUT",
                      "PATCH",
                      "DELETE",
                      "FOO",
                      "PROPFIND",
                      "TRACE",
                      "get",
                      "CONNECT")) {
                if (!op.pathMethods().contains(m)) {
                  others.add(m);
                }
              }
              d.method = others.get(r.nextInt(others.size()));
            }));
    c.add(
        refused(
            "headers: one over the size limit",
            all,
            (d, op, r) -> d.header("X-Padding", "a".repeat(8200 + r.nextInt(8000)))));
    c.add(
        refused(
            "headers: more than the server takes",
            all,
            (d, op, r) -> {
              for (int i = 0, n = 101 + r.nextInt(50); i < n; i++) {
                d.header("X-Extra-" + i, "1");
              }
            }));
    c.add(
        refused(
            "headers: a line that is not a header",
            all,
            (d, op, r) ->
                d.headers.add(
                    r.nextInt(d.headers.size() + 1),
                    pick(
                        r,
                        "Bad Header: x",
                        "NoColon",
                        "X-Ctl: a\u0001b",
                        ": empty-name",
                        "X-Nul: a\u0000b",
                        "X-Del: a\u007fb",
                        "X\u00ff: v",
                        "X-Space : v"))));
    c.add(
        refused(
            "Host: missing, repeated or invalid",
            all,
            (d, op, r) -> {
              switch (r.nextInt(3)) {
                case 0 -> d.remove("Host");
                case 1 -> d.header("Host", "other.example");
                default -> d.replace("Host", pick(r, "a b", "[::1", "a:b:c", "a/b", "a_b", "x@y"));
              }
            }));
    c.add(
        refused(
            "a one-value header given twice",
            all,
            (d, op, r) -> {
              if (op.takesBody() && r.nextBoolean()) {
                d.header("Content-Type", pick(r, op.contentType(), "text/plain"));
              } else if (r.nextBoolean()) {
                d.header("Authorization", "Bearer " + token);
              } else {
                d.headers.add(0, "Authorization: Bearer wrong");
              }
            }));
    c.add(
        refused(
            "Accept: does not parse",
            all,
            (d, op, r) ->
                d.replace(
                    "Accept",
                    pick(
                        r,
                        "foo",
                        "*/*;q=abc",
                        "application/json;q=2",
                        "application/json;q=-1",
                        "text/plain;charset=nope",
                        "application/json;charset=\"x",
                        "/",
                        "*/json",
                        "text/"))));
    c.add(
        refused(
            "Accept: nothing the operation gives",
            all,
            (d, op, r) ->
                d.replace(
                    "Accept", pick(r, "image/png", "application/xml", "audio/ogg", "font/woff2"))));
    c.add(
        refused(
            "Expect: something other than 100-continue",
            all,
            (d, op, r) -> d.header("Expect", pick(r, "foo", "100-continue-please", "200-ok"))));
    c.add(
        refused(
            "Cookie: more cookies than the server takes",
            all,
            (d, op, r) -> {
              StringBuilder cookies = new StringBuilder();
              for (int i = 0, n = 201 + r.nextInt(60); i < n; i++) {
                cookies.append(i == 0 ? "" : "; ").append('c').append(i).append("=1");
              }
              d.header("Cookie", cookies.toString());
            }));
    c.add(
        refused(
            "Content-Length: not a length",
            all,
            (d, op, r) -> {
              if (r.nextInt(4) == 0) {
                d.header("Content-Length", String.valueOf(d.body.length));
                d.header("Content-Length", String.valueOf(d.body.length + 1));
              } else {
                d.header(
                    "Content-Length",
                    pick(r, "abc", "-1", "1.0", "+2", "0x10", "99999999999999999999", "2, 3"));
              }
            }));
    c.add(
        refused(
            "Transfer-Encoding: one the server does not implement",
            all,
            (d, op, r) ->
                d.header(
                    "Transfer-Encoding",
                    pick(
                        r,
                        "gzip",
                        "foo",
                        "compress",
                        "identity",
                        "gzip, chunked",
                        "chunked, gzip"))));
    c.add(
        refused(
            "Authorization: missing or wrong",
            writes,
            (d, op, r) -> {
              d.remove("Authorization");
              String value =
                  pick(
                      r,
                      null,
                      "Basic dXNlcjpwYXNz",
                      "Bearer",
                      "Bearer ",
                      "Bearer wrong",
                      "Bearer " + token + "x",
                      "Bearer" + token,
                      "Token " + token,
                      "\u00ff\u00fe");
              if (value != null) {
                d.header("Authorization", value);
              }
            }));

    // The body's framing and media type.
    c.add(
        refused(
            "body: shorter than its Content-Length",
            body,
            (d, op, r) -> {
              d.header("Content-Length", String.valueOf(d.body.length + 1 + r.nextInt(100)));
              d.closeOutput = true;
            }));
    c.add(
        refused(
            "body: malformed chunked framing",
            body,
            (d, op, r) -> {
              String b = new String(d.body, StandardCharsets.ISO_8859_1);
              String size = Integer.toHexString(d.body.length);
              d.header("Transfer-Encoding", "chunked");
              switch (r.nextInt(5)) {
                case 0 -> d.body("zz\r\n" + b + "\r\n0\r\n\r\n");
                case 1 -> {
                  d.body(Integer.toHexString(d.body.length + 64) + "\r\n" + b);
                  d.closeOutput = true;
                }
                case 2 -> {
                  d.body(size + "\r\n" + b + "\r\n");
                  d.closeOutput = true;
                }
                case 3 -> d.body(size + ";\u0001\r\n" + b + "\r\n0\r\n\r\n");
                default -> d.body(size + "\r\n" + b + "XX0\r\n\r\n");
              }
            }));
    c.add(
        refused(
            "Content-Type: one the operation does not take",
            body,
            (d, op, r) -> {
              d.remove("Content-Type");
              switch (r.nextInt(7)) {
                case 0 -> d.header("Content-Type", "multipart/form-data");
                case 1 -> {
                  d.header("Content-Type", "multipart/form-data; boundary=xx");
                  d.body(
                      "--xx\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--xx--\r\n");
                }
                case 2 -> {
                  d.header("Content-Type", "application/x-www-form-urlencoded");
                  d.body(pick(r, "a=1&b=2", "a=%ZZ", "%"));
                }
                case 3 -> {
                  d.header("Content-Type", "application/xml");
                  d.body("<request><order>0</order></request>");
                }
                case 4 ->
                    d.header("Content-Type", op.takesJson() ? "text/plain" : "application/json");
                case 5 ->
                    d.header("Content-Type", pick(r, "text/html", "application/octet-stream"));
                default -> {
                  // no Content-Type at all
                }
              }
            }));
    c.add(
        refused(
            "Content-Type: does not parse",
            body,
            (d, op, r) ->
                d.replace(
                    "Content-Type",
                    pick(
                        r,
                        "garbage",
                        "/",
                        "application/",
                        op.contentType() + "; charset=nope",
                        op.contentType() + "; charset=\"utf-8"))));

    // JSON bodies that do not match.
    c.add(
        refused(
            "JSON: truncated",
            json,
            (d, op, r) ->
                d.body =
                    java.util.Arrays.copyOf(d.body, r.nextInt(Math.max(1, d.body.length - 1)))));
    c.add(
        refused(
            "JSON: a value of the wrong type",
            json,
            (d, op, r) -> {
              List<String> names = propertyNames(d);
              if (names.isEmpty()) {
                d.body("{\"type\":{}}");
                return;
              }
              String name = names.get(r.nextInt(names.size()));
              Set<String> allowed = types(property(op, name), op.document());
              List<String> wrong = new ArrayList<>();
              if (!allowed.contains("boolean")) {
                wrong.add("true");
              }
              if (!allowed.contains("object")) {
                wrong.add("{\"x\":1}");
              }
              if (!allowed.contains("array")) {
                wrong.add("[1]");
              }
              if (!allowed.isEmpty() && !allowed.contains("string")) {
                wrong.add("\"x\"");
              }
              if (!allowed.isEmpty()
                  && !allowed.contains("number")
                  && !allowed.contains("integer")) {
                wrong.add("1.5");
              }
              if (allowed.isEmpty()) {
                wrong.retainAll(List.of("{\"x\":1}"));
              }
              if (wrong.isEmpty()) {
                d.body(setRaw(d.bodyText(), "zzUnknown", "1"));
                return;
              }
              d.body(setRaw(d.bodyText(), name, wrong.get(r.nextInt(wrong.size()))));
            }));
    c.add(
        refused(
            "JSON: an unknown field",
            json,
            (d, op, r) ->
                d.body(setRaw(d.bodyText(), pick(r, "zzUnknown", "Memory", "order "), "1"))));
    c.add(
        refused(
            "JSON: a key given twice",
            json,
            (d, op, r) -> {
              List<String> names = propertyNames(d);
              String object = d.bodyText().trim();
              if (names.isEmpty() || !object.startsWith("{")) {
                d.body("{\"zz\":1,\"zz\":1}");
                return;
              }
              String name = names.get(r.nextInt(names.size()));
              JsonNode value = JSON.readTree(object).get(name);
              d.body(
                  "{"
                      + JSON.writeValueAsString(name)
                      + ":"
                      + JSON.writeValueAsString(value)
                      + ","
                      + object.substring(1));
            }));
    c.add(
        refused(
            "JSON: nested deeper than the parser takes",
            json,
            (d, op, r) -> {
              int depth = 501 + r.nextInt(3000);
              switch (r.nextInt(3)) {
                case 0 -> d.body("[".repeat(depth) + "]".repeat(depth));
                case 1 -> d.body("{\"a\":".repeat(depth) + "1" + "}".repeat(depth));
                default -> {
                  List<String> names = propertyNames(d);
                  String name = names.isEmpty() ? "zz" : names.get(r.nextInt(names.size()));
                  d.body(setRaw(d.bodyText(), name, "[".repeat(depth) + "]".repeat(depth)));
                }
              }
            }));
    c.add(
        refused(
            "JSON: a number beyond what the field holds",
            op -> op.takesJson() && !numericProperties(op).isEmpty(),
            (d, op, r) -> {
              List<String> names = numericProperties(op);
              String name = names.get(r.nextInt(names.size()));
              String huge =
                  pick(
                      r,
                      "123456789012345678901234567890",
                      "-123456789012345678901234567890",
                      "1e400",
                      "-1e400",
                      "9".repeat(1200),
                      "18446744073709551616");
              boolean array = types(property(op, name), op.document()).contains("array");
              d.body(setRaw(d.bodyText(), name, array ? "[" + huge + "]" : huge));
            }));
    c.add(
        refused(
            "JSON: bytes that are not UTF-8",
            json,
            (d, op, r) -> {
              String b = new String(d.body, StandardCharsets.ISO_8859_1);
              int at = r.nextInt(b.length() + 1);
              d.body(
                  b.substring(0, at)
                      + pick(r, "\u00ff", "\u00fe", "\u00e2\u0082", "\u00c3")
                      + b.substring(at));
            }));
    c.add(
        refused(
            "JSON: not JSON",
            json,
            (d, op, r) ->
                d.body(
                    pick(
                        r,
                        "not json",
                        "<a/>",
                        "{'a':1}",
                        "{a:1}",
                        "{\"a\":1,}",
                        "NaN",
                        "{\"a\":01}",
                        "{\"a\":.5}",
                        "{\"a\":\"\\x\"}",
                        "{\"a\":\"unterminated}",
                        "/* comment */{}",
                        "\u00ef\u00bb\u00bf"))));
    c.add(
        refused(
            "JSON: not an object",
            json,
            (d, op, r) -> d.body(pick(r, "[]", "\"s\"", "1", "null", "true", "[{}]", ""))));
    c.add(
        refused(
            "JSON: something after the object",
            json,
            (d, op, r) -> d.body(d.bodyText() + pick(r, " x", "}", "{}", ",", "]", " 1"))));

    // Text bodies that are not what the operation reads.
    c.add(
        refused(
            "text: no trace event in it",
            text,
            (d, op, r) -> {
              StringBuilder b = new StringBuilder();
              for (int i = 0, n = 1 + r.nextInt(20); i < n; i++) {
                for (int j = 0, m = r.nextInt(80); j < m; j++) {
                  b.append((char) (r.nextBoolean() ? 32 + r.nextInt(95) : r.nextInt(256)));
                }
                b.append('\n');
              }
              d.body(b.toString());
            }));
    c.add(refused("text: empty", text, (d, op, r) -> d.body("")));

    // Odd but harmless: reads answer them (a 2xx is fine), never with a 5xx.
    c.add(
        tolerated(
            "X-Request-Id: not one the service echoes",
            reads,
            (d, op, r) -> {
              if (r.nextInt(5) == 0) {
                d.header("X-Request-Id", "first");
                d.header("X-Request-Id", "second");
              } else {
                d.header(
                    "X-Request-Id",
                    pick(r, "a".repeat(129), "<script>", "\u00ff\u00fe", "", "a b", "a/b"));
              }
            }));
    c.add(
        tolerated(
            "Authorization: odd, on a read",
            reads,
            (d, op, r) ->
                d.replace(
                    "Authorization", pick(r, "Basic x", "Bearer", "\u00ff", "Bearer wrong"))));
    c.add(
        tolerated(
            "Content-Type: odd, on a read",
            reads,
            (d, op, r) ->
                d.header(
                    "Content-Type",
                    pick(
                        r,
                        "garbage",
                        "multipart/form-data",
                        "application/x-www-form-urlencoded",
                        "application/json; charset=nope"))));
    c.add(
        tolerated(
            "headers: odd but harmless",
            reads,
            (d, op, r) -> {
              switch (r.nextInt(10)) {
                case 0 -> {
                  d.headers.add("X-Folded: a");
                  d.headers.add(" continued on the next line");
                }
                case 1 -> d.headers.add("X-Bare-Lf: a\nX-After: b");
                case 2 -> d.header("Range", "bytes=abc");
                case 3 -> d.header("If-None-Match", "\"unterminated");
                case 4 -> d.header("If-Modified-Since", "yesterday");
                case 5 -> d.header("Accept-Charset", "nope");
                case 6 -> d.header("Accept-Encoding", "gzip;q=x");
                case 7 -> d.header("Origin", "null");
                case 8 -> d.header("X-Latin1", "\u00ff\u00fe");
                default -> d.replace("Host", "");
              }
            }));
    c.add(
        tolerated(
            "body: sent to a read",
            reads,
            (d, op, r) -> {
              switch (r.nextInt(3)) {
                case 0 -> {
                  d.header("Content-Type", "application/json");
                  d.body("{\"a\":");
                }
                case 1 -> d.body("\u0000\u00ff garbage");
                default -> {
                  d.header("Transfer-Encoding", "chunked");
                  d.body("zz\r\n");
                }
              }
            }));
    return c;
  }

  private static Malformation refused(String name, Predicate<Operation> appliesTo, Mutation m) {
    return new Malformation(name, true, appliesTo, m);
  }

  private static Malformation tolerated(String name, Predicate<Operation> appliesTo, Mutation m) {
    return new Malformation(name, false, appliesTo, m);
  }

  @SafeVarargs
  private static <T> T pick(Random r, T... options) {
    return options[r.nextInt(options.length)];
  }

  private static String queryName(Operation op, Random r) {
    return op.queryNames().isEmpty() || r.nextInt(4) == 0
        ? "x"
        : op.queryNames().get(r.nextInt(op.queryNames().size()));
  }

  private static List<String> propertyNames(Draft d) {
    List<String> names = new ArrayList<>();
    JsonNode body = JSON.readTree(d.bodyText());
    if (body.isObject()) {
      names.addAll(body.propertyNames());
    }
    return names;
  }

  /** Returns the body's properties that take numbers, or whose schema says nothing. */
  private static List<String> numericProperties(Operation op) {
    List<String> names = new ArrayList<>();
    JsonNode body = JSON.readTree(op.body());
    for (String name : body.propertyNames()) {
      JsonNode ps = property(op, name);
      Set<String> t = types(ps, op.document());
      Set<String> items = t.contains("array") ? types(ps.path("items"), op.document()) : Set.of();
      if (t.isEmpty()
          || t.contains("integer")
          || t.contains("number")
          || items.contains("integer")
          || items.contains("number")) {
        names.add(name);
      }
    }
    return names;
  }

  /** Returns {@code json} (an object) with {@code name} set to the raw JSON text {@code raw}. */
  private static String setRaw(String json, String name, String raw) {
    JsonNode node = JSON.readTree(json);
    ObjectNode o = node.isObject() ? (ObjectNode) node : JSON.createObjectNode();
    o.put(name, RAW);
    return JSON.writeValueAsString(o).replace("\"" + RAW + "\"", raw);
  }
}
