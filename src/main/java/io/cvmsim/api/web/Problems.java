package io.cvmsim.api.web;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import org.springframework.http.HttpStatus;

/**
 * The problem vocabulary shared by every place that answers with a problem (the advice, the error
 * page and the server's own refusals): one type URI per status, and the status's reason phrase as
 * the title.
 */
final class Problems {

  /** The prefix of every problem type URI. */
  static final String TYPE_PREFIX = "https://cvmsim.io/problems/";

  private static final Map<Integer, String> SLUGS =
      Map.ofEntries(
          Map.entry(400, "invalid-request"),
          Map.entry(401, "unauthorized"),
          Map.entry(403, "forbidden"),
          Map.entry(404, "not-found"),
          Map.entry(405, "method-not-allowed"),
          Map.entry(406, "not-acceptable"),
          Map.entry(409, "conflict"),
          Map.entry(413, "too-large"),
          Map.entry(415, "unsupported-media-type"),
          Map.entry(417, "expectation-failed"),
          Map.entry(422, "unprocessable"),
          Map.entry(500, "internal-error"),
          Map.entry(503, "at-capacity"));

  private Problems() {}

  /** Returns the type URI of a status: {@code TYPE_PREFIX + slug}, or about:blank for others. */
  static URI type(int status) {
    String slug = SLUGS.get(status);
    return URI.create(slug == null ? "about:blank" : TYPE_PREFIX + slug);
  }

  /** Returns a request path as a problem's {@code instance}, or null if it is no valid URI. */
  static URI instance(String path) {
    if (path == null) {
      return null;
    }
    try {
      return new URI(path);
    } catch (URISyntaxException e) {
      return null;
    }
  }

  /** Returns the title of a status: its reason phrase. */
  static String title(int status) {
    HttpStatus known = HttpStatus.resolve(status);
    return known != null ? known.getReasonPhrase() : "Error";
  }
}
