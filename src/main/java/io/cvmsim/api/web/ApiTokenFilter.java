package io.cvmsim.api.web;

import io.cvmsim.config.CvmsimProperties;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * When {@code cvmsim.security.api-token} is set, requires {@code Authorization: Bearer <token>} on
 * mutating requests (POST, PUT, PATCH, DELETE) to {@code /api/**}, and on reads too with {@code
 * cvmsim.security.protect-reads}. A missing or wrong token gets a 401 problem with {@code
 * WWW-Authenticate: Bearer}. Tokens are compared in constant time (as SHA-256 digests, so their
 * lengths leak nothing either). Health, metrics and the OpenAPI document are never protected.
 */
@Component
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@Order(Ordered.HIGHEST_PRECEDENCE + 13)
class ApiTokenFilter extends OncePerRequestFilter {

  private final byte[] expected;
  private final boolean protectReads;
  private final HandlerExceptionResolver resolver;

  ApiTokenFilter(
      CvmsimProperties properties,
      @Qualifier("handlerExceptionResolver") HandlerExceptionResolver resolver) {
    CvmsimProperties.Security security = properties.security();
    this.expected = security.enabled() ? sha256(security.apiToken()) : null;
    this.protectReads = security.protectReads();
    this.resolver = resolver;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    if (expected == null || !request.getRequestURI().startsWith("/api/")) {
      return true;
    }
    String m = request.getMethod();
    boolean mutating =
        m.equals("POST") || m.equals("PUT") || m.equals("PATCH") || m.equals("DELETE");
    return !mutating && !protectReads;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String auth = request.getHeader(HttpHeaders.AUTHORIZATION);
    String detail;
    if (auth == null) {
      detail = "this request needs the API token: Authorization: Bearer <token>";
    } else if (auth.regionMatches(true, 0, "Bearer ", 0, 7)
        && MessageDigest.isEqual(expected, sha256(auth.substring(7).trim()))) {
      chain.doFilter(request, response);
      return;
    } else {
      detail = "the API token is wrong";
    }
    ErrorResponseException ex =
        new ErrorResponseException(
            HttpStatus.UNAUTHORIZED,
            ProblemDetail.forStatusAndDetail(HttpStatus.UNAUTHORIZED, detail),
            null);
    ex.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"cvmsim\"");
    resolver.resolveException(request, response, null, ex);
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing", e);
    }
  }
}
