package io.cvmsim.api.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.slf4j.MDC;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Gives every request an id: the caller's {@code X-Request-Id} when it is at most 128 characters of
 * {@code [A-Za-z0-9._-]}, otherwise a new one. The id is echoed in the response header, put in the
 * logging MDC as {@code requestId} and added to every problem answer. It also runs on error
 * dispatches (the error page), keeping the id the request already has, so that refusals made before
 * or outside the filter chain carry one too.
 */
@Component
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class RequestIdFilter extends OncePerRequestFilter {

  /** The header. */
  static final String HEADER = "X-Request-Id";

  /** The request attribute (and MDC key) holding the id. */
  static final String ATTRIBUTE = "requestId";

  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._-]{1,128}");

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String id =
        request.getAttribute(ATTRIBUTE) instanceof String known
            ? known
            : idFor(request.getHeader(HEADER));
    request.setAttribute(ATTRIBUTE, id);
    response.setHeader(HEADER, id);
    MDC.put(ATTRIBUTE, id);
    try {
      chain.doFilter(request, response);
    } finally {
      MDC.remove(ATTRIBUTE);
    }
  }

  @Override
  protected boolean shouldNotFilterErrorDispatch() {
    return false;
  }

  /** Returns the caller's id {@code given} when it is valid, otherwise a new one. */
  static String idFor(String given) {
    return given != null && VALID.matcher(given).matches() ? given : newId();
  }

  /** Returns 16 random hex digits: unique enough to find a request in the logs, and cheap. */
  private static String newId() {
    return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
  }
}
