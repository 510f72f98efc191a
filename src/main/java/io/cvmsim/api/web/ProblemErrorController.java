package io.cvmsim.api.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Controller;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.RequestMapping;

/**
 * The error page ({@code /error}), in place of Spring Boot's: what the server or a filter refused
 * outside Spring MVC's handlers reaches the one problem handler from here, so it is answered as a
 * problem like everything else. An exception is handed on as it was thrown (the handler decides its
 * status as for any other); a bare status, set by the server with {@code sendError} (a TRACE
 * request, a malformed chunked body, too many cookies), becomes a problem of that status with the
 * server's message as detail. A client asking for {@code /error} itself gets a 404.
 */
@Controller
class ProblemErrorController implements ErrorController {

  @RequestMapping("${server.error.path:${error.path:/error}}")
  void error(HttpServletRequest request) throws Exception {
    Throwable thrown = unwrap((Throwable) request.getAttribute(RequestDispatcher.ERROR_EXCEPTION));
    if (thrown instanceof Exception e) {
      throw e;
    }
    Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
    HttpStatusCode status =
        code instanceof Integer c ? HttpStatusCode.valueOf(c) : HttpStatus.NOT_FOUND;
    if (!status.isError()) {
      status = HttpStatus.INTERNAL_SERVER_ERROR;
    }
    Object message = request.getAttribute(RequestDispatcher.ERROR_MESSAGE);
    ProblemDetail pd =
        ProblemDetail.forStatusAndDetail(
            status,
            message instanceof String m && !m.isBlank() ? m : defaultDetail(status.value()));
    throw new ErrorResponseException(status, pd, thrown);
  }

  private static Throwable unwrap(Throwable t) {
    while (t instanceof ServletException se && se.getRootCause() != null) {
      t = se.getRootCause();
    }
    return t;
  }

  private static String defaultDetail(int status) {
    return switch (status) {
      case 400 -> "the request is malformed";
      case 404 -> "there is nothing at this path";
      case 405 -> "this method is not allowed here";
      default -> Problems.title(status);
    };
  }
}
