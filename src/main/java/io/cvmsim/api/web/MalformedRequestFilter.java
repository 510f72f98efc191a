package io.cvmsim.api.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Enumeration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * Refuses with a 400 problem, before anything reads them, the requests whose URL or headers the
 * service cannot read, whichever resource they name:
 *
 * <ul>
 *   <li>{@code Content-Type} or {@code Authorization} given more than once (each holds one value;
 *       the server would silently take the first);
 *   <li>a query string that the server cannot decode: a {@code %} not followed by two hex digits,
 *       escapes that are not UTF-8, or more parameters than {@code
 *       server.tomcat.max-parameter-count} (the server's own parser decides, so the verdict is the
 *       one every later reader would get);
 *   <li>path parameters ({@code ;name=value} in a path segment), which no resource takes and the
 *       server would silently drop;
 *   <li>an {@code Accept} header that does not parse as media types (bad syntax, a q outside 0..1,
 *       an unknown charset).
 * </ul>
 *
 * <p>A JSON body (in UTF-8, the only encoding RFC 8259 allows between systems) is checked to be
 * well-formed UTF-8 as it is read ({@link Utf8Body}).
 *
 * <p>Without it the first reader would fail instead: a controller's {@code @RequestParam} with a
 * 500, content negotiation with an empty 406 (it drops the problem it cannot negotiate).
 */
@Component
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@Order(Ordered.HIGHEST_PRECEDENCE + 12)
class MalformedRequestFilter extends OncePerRequestFilter {

  private static final Logger log = LoggerFactory.getLogger(MalformedRequestFilter.class);

  private final HandlerExceptionResolver resolver;

  MalformedRequestFilter(@Qualifier("handlerExceptionResolver") HandlerExceptionResolver resolver) {
    this.resolver = resolver;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String detail = pathParameters(request);
    if (detail == null) {
      detail = repeated(request, HttpHeaders.CONTENT_TYPE);
    }
    if (detail == null) {
      detail = repeated(request, HttpHeaders.AUTHORIZATION);
    }
    if (detail == null) {
      detail = undecodableQuery(request);
    }
    if (detail == null) {
      detail = unparsableAccept(request);
      if (detail != null) {
        // The problem itself must not be negotiated against the header that cannot be read.
        request = new WithoutAccept(request);
      }
    }
    if (detail == null) {
      chain.doFilter(utf8Json(request) ? new Utf8Body(request) : request, response);
      return;
    }
    resolver.resolveException(
        request,
        response,
        null,
        new ErrorResponseException(
            HttpStatus.BAD_REQUEST,
            ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail),
            null));
  }

  private static String pathParameters(HttpServletRequest request) {
    return request.getRequestURI().indexOf(';') >= 0
        ? "the path has path parameters (';'), which no resource takes"
        : null;
  }

  /** A header that holds one value, given more than once: which one would count is a guess. */
  private static String repeated(HttpServletRequest request, String header) {
    Enumeration<String> values = request.getHeaders(header);
    if (values == null || !values.hasMoreElements()) {
      return null;
    }
    values.nextElement();
    return values.hasMoreElements() ? "the " + header + " header is given more than once" : null;
  }

  /**
   * Asks the server to parse the parameters now (the query string, and a form body if one is
   * declared: no resource takes one, so nothing is lost by reading it here).
   */
  private static String undecodableQuery(HttpServletRequest request) {
    if (request.getQueryString() == null) {
      return null;
    }
    try {
      request.getParameterMap();
      return null;
    } catch (IllegalStateException e) {
      log.debug("query string refused", e);
      return "the query string cannot be decoded: it must be name=value pairs joined by '&',"
          + " percent-encoded UTF-8 (%XX with two hex digits), and at most"
          + " server.tomcat.max-parameter-count of them";
    }
  }

  private static String unparsableAccept(HttpServletRequest request) {
    Enumeration<String> values = request.getHeaders(HttpHeaders.ACCEPT);
    while (values != null && values.hasMoreElements()) {
      String value = values.nextElement();
      try {
        MediaType.parseMediaTypes(value);
      } catch (IllegalArgumentException e) {
        return "the Accept header cannot be parsed: " + e.getMessage();
      }
    }
    return null;
  }

  /**
   * Returns whether the body is JSON in UTF-8 (no charset, or UTF-8), to be checked as it is read.
   */
  private static boolean utf8Json(HttpServletRequest request) {
    String type = request.getContentType();
    if (type == null) {
      return false;
    }
    try {
      MediaType media = MediaType.parseMediaType(type);
      boolean json = media.getSubtype().equals("json") || media.getSubtype().endsWith("+json");
      return json
          && (media.getCharset() == null || media.getCharset().equals(StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** The request as if it had no Accept header. */
  private static final class WithoutAccept extends HttpServletRequestWrapper {
    WithoutAccept(HttpServletRequest request) {
      super(request);
    }

    @Override
    public String getHeader(String name) {
      return HttpHeaders.ACCEPT.equalsIgnoreCase(name) ? null : super.getHeader(name);
    }

    @Override
    public Enumeration<String> getHeaders(String name) {
      return HttpHeaders.ACCEPT.equalsIgnoreCase(name)
          ? Collections.emptyEnumeration()
          : super.getHeaders(name);
    }
  }
}
