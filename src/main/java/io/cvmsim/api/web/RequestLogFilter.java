package io.cvmsim.api.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Logs one line per request to the logger {@code io.cvmsim.access}: method, path, status, duration
 * and request id, never a body or a query string. Probes and metrics scrapes log at DEBUG, the rest
 * at INFO.
 */
@Component
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@Order(Ordered.HIGHEST_PRECEDENCE + 11)
class RequestLogFilter extends OncePerRequestFilter {

  private static final Logger log = LoggerFactory.getLogger("io.cvmsim.access");

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    long start = System.nanoTime();
    try {
      chain.doFilter(request, response);
    } finally {
      String path = request.getRequestURI();
      boolean quiet =
          path.startsWith("/actuator") || path.equals("/livez") || path.equals("/readyz");
      if (quiet ? log.isDebugEnabled() : log.isInfoEnabled()) {
        String line = "{} {} {} {}ms id={}";
        Object[] args = {
          request.getMethod(),
          path,
          response.getStatus(),
          (System.nanoTime() - start) / 1_000_000,
          request.getAttribute(RequestIdFilter.ATTRIBUTE)
        };
        if (quiet) {
          log.debug(line, args);
        } else {
          log.info(line, args);
        }
      }
    }
  }
}
