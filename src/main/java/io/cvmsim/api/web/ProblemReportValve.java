package io.cvmsim.api.web;

import java.io.IOException;
import java.io.Writer;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import tools.jackson.databind.json.JsonMapper;

/**
 * The server's own error report, written as a problem. Tomcat refuses some requests before any
 * application code runs — a malformed request line or URL (bad {@code %} escapes, bytes that are
 * not UTF-8, an encoded {@code /} or {@code \}, a NUL, {@code ..} above the root), headers over the
 * size or count limits or with bad syntax, a missing or repeated {@code Host}, a bad {@code
 * Content-Length}, an unknown {@code Transfer-Encoding} or HTTP version, an {@code Expect} other
 * than {@code 100-continue} — and reports them through the host's error report valve, which by
 * default writes an HTML page. This one writes {@code application/problem+json} with {@code type},
 * {@code title}, {@code status}, {@code detail}, {@code instance} (when the path is a valid URI)
 * and {@code requestId} (the caller's {@code X-Request-Id} when valid, as {@link RequestIdFilter}
 * does), and logs the refusal on {@code io.cvmsim.access}. It is also the last resort when the
 * error page itself fails.
 *
 * <p>The server answers an unknown transfer coding with 501 and an unknown HTTP version with 505,
 * as RFC 9112 suggests; both are the client's bad input, and bad input is never a 5xx here, so they
 * are answered 400.
 */
class ProblemReportValve extends ErrorReportValve {

  private static final Logger access = LoggerFactory.getLogger("io.cvmsim.access");
  private static final int MAX_LOGGED_PATH = 256;

  @Override
  protected void report(Request request, Response response, Throwable throwable) {
    int status = response.getStatus();
    if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
      return;
    }
    AtomicBoolean ioAllowed = new AtomicBoolean(false);
    response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
    if (!ioAllowed.get()) {
      return;
    }
    String detail = detail(status, response.getMessage());
    if (status == 501 || status == 505) {
      status = 400;
      response.setStatus(status);
    }
    String id =
        request.getAttribute(RequestIdFilter.ATTRIBUTE) instanceof String known
            ? known
            : RequestIdFilter.idFor(request.getHeader(RequestIdFilter.HEADER));
    Map<String, Object> problem = new LinkedHashMap<>();
    problem.put("type", Problems.type(status).toString());
    problem.put("title", Problems.title(status));
    problem.put("status", status);
    problem.put("detail", detail);
    URI instance = Problems.instance(request.getRequestURI());
    if (instance != null) {
      problem.put("instance", instance.toString());
    }
    problem.put("requestId", id);
    try {
      response.setHeader(RequestIdFilter.HEADER, id);
      response.setContentType("application/problem+json");
      response.setCharacterEncoding("UTF-8");
      Writer writer = response.getReporter();
      if (writer != null) {
        writer.write(JsonMapper.shared().writeValueAsString(problem));
        response.finishResponse();
      }
    } catch (IOException | IllegalStateException e) {
      // The client went away or the response cannot take a body any more: nothing to report to.
    }
    MDC.put(RequestIdFilter.ATTRIBUTE, id);
    try {
      access.info(
          "{} {} {} refused by the server: {} id={}",
          request.getMethod(),
          printable(request.getRequestURI()),
          status,
          detail,
          id);
    } finally {
      MDC.remove(RequestIdFilter.ATTRIBUTE);
    }
  }

  private static String detail(int status, String message) {
    if (message != null && !message.isBlank()) {
      return message;
    }
    return switch (status) {
      case 400 ->
          "the request cannot be read: its request line, URL, headers or body framing is"
              + " malformed, or over the server's size limits";
      case 417 -> "the Expect header asks for something other than 100-continue";
      case 501 -> "the Transfer-Encoding is not supported (only chunked is)";
      case 505 -> "the HTTP version is not supported (only HTTP/1.0 and HTTP/1.1 are)";
      default -> Problems.title(status);
    };
  }

  /** Returns at most 256 characters of {@code s}, control characters replaced, for a log line. */
  private static String printable(String s) {
    if (s == null) {
      return "-";
    }
    StringBuilder b = new StringBuilder(Math.min(s.length(), MAX_LOGGED_PATH));
    for (int i = 0; i < s.length() && i < MAX_LOGGED_PATH; i++) {
      char c = s.charAt(i);
      b.append(c < 0x20 || c == 0x7f ? '?' : c);
    }
    return b.toString();
  }
}
