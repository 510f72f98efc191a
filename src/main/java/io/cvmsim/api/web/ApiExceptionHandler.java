package io.cvmsim.api.web;

import io.cvmsim.core.SimulatorException;
import io.cvmsim.scenario.doc.DocumentException;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Turns every refusal into an RFC 9457 {@code application/problem+json} answer: {@code type} (one
 * URI per status), {@code title}, {@code status}, {@code detail}, {@code instance} (the path), the
 * request's {@code requestId}, and for bad input an {@code errors} array of {@code {field,
 * message}}. Bad input is a 4xx, never a 500; 503 carries {@code Retry-After}.
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

  /** Seconds a client should wait after a 503. */
  static final String RETRY_AFTER_SECONDS = "5";

  private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

  /** One input at fault. */
  record FieldProblem(String field, String message) {}

  /** One problem of a scenario or sweep file, where it is in the file. */
  record LocatedProblem(String field, String message, int line, int column) {}

  @ExceptionHandler(SimulatorException.class)
  ResponseEntity<Object> simulator(SimulatorException ex, WebRequest request) {
    HttpStatus status =
        switch (ex.kind()) {
          case BAD_REQUEST -> HttpStatus.BAD_REQUEST;
          case UNPROCESSABLE -> HttpStatus.UNPROCESSABLE_CONTENT;
          case NOT_FOUND -> HttpStatus.NOT_FOUND;
          case CONFLICT -> HttpStatus.CONFLICT;
          case TOO_LARGE -> HttpStatus.CONTENT_TOO_LARGE;
          case AT_CAPACITY -> HttpStatus.SERVICE_UNAVAILABLE;
        };
    HttpHeaders headers = new HttpHeaders();
    if (status == HttpStatus.SERVICE_UNAVAILABLE) {
      headers.set(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
    }
    return problem(ex, status, ex.getMessage(), ex.field(), headers, request);
  }

  @ExceptionHandler(DocumentException.class)
  ResponseEntity<Object> document(DocumentException ex, WebRequest request) {
    HttpStatus status =
        switch (ex.kind()) {
          case SYNTAX -> HttpStatus.BAD_REQUEST;
          case INVALID -> HttpStatus.UNPROCESSABLE_CONTENT;
          case OVER_LIMIT -> HttpStatus.CONTENT_TOO_LARGE;
        };
    ProblemDetail pd = ProblemDetail.forStatusAndDetail(status, ex.getMessage());
    pd.setProperty(
        "errors",
        ex.problems().stream()
            .map(p -> new LocatedProblem(p.path(), p.message(), p.line(), p.column()))
            .toList());
    return handleExceptionInternal(ex, pd, new HttpHeaders(), status, request);
  }

  @ExceptionHandler(IllegalArgumentException.class)
  ResponseEntity<Object> illegalArgument(IllegalArgumentException ex, WebRequest request) {
    log.warn("request refused by an IllegalArgumentException without a field", ex);
    return problem(ex, HttpStatus.BAD_REQUEST, ex.getMessage(), null, new HttpHeaders(), request);
  }

  /**
   * Reading the request failed below the message converters: a malformed chunked body, a body that
   * ends before its declared length, a client that stops sending. (Writing an answer to a client
   * that went away fails the same way; nobody reads that answer.)
   */
  @ExceptionHandler(IOException.class)
  ResponseEntity<Object> unreadable(IOException ex, WebRequest request) {
    if (ex instanceof RequestSizeFilter.BodyTooLargeException) {
      return problem(
          ex, HttpStatus.CONTENT_TOO_LARGE, ex.getMessage(), null, new HttpHeaders(), request);
    }
    if (ex instanceof Utf8Body.NotUtf8Exception) {
      return problem(ex, HttpStatus.BAD_REQUEST, ex.getMessage(), null, new HttpHeaders(), request);
    }
    log.info("request refused: its I/O failed: {}", ex.toString());
    String why =
        ex instanceof EOFException
            ? "it ended before its declared length (Content-Length, or the last chunk)"
            : ex instanceof SocketTimeoutException
                ? "it did not arrive in time"
                : ex.getMessage() != null ? ex.getMessage() : ex.getClass().getSimpleName();
    return problem(
        ex,
        HttpStatus.BAD_REQUEST,
        "the request body cannot be read: " + why,
        null,
        new HttpHeaders(),
        request);
  }

  @ExceptionHandler(Exception.class)
  ResponseEntity<Object> unexpected(Exception ex, WebRequest request) {
    log.error("unexpected error", ex);
    return problem(
        ex,
        HttpStatus.INTERNAL_SERVER_ERROR,
        "an unexpected error; the log has the details under this request's id",
        null,
        new HttpHeaders(),
        request);
  }

  @Override
  protected ResponseEntity<Object> handleHttpMessageNotReadable(
      HttpMessageNotReadableException ex,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    if (cause(ex, Utf8Body.NotUtf8Exception.class) != null) {
      return problem(
          ex,
          HttpStatus.BAD_REQUEST,
          cause(ex, Utf8Body.NotUtf8Exception.class).getMessage(),
          null,
          headers,
          request);
    }
    if (cause(ex, RequestSizeFilter.BodyTooLargeException.class) != null) {
      return problem(
          ex,
          HttpStatus.CONTENT_TOO_LARGE,
          cause(ex, RequestSizeFilter.BodyTooLargeException.class).getMessage(),
          null,
          headers,
          request);
    }
    JacksonException json = cause(ex, JacksonException.class);
    if (json == null) {
      String detail =
          ex.getMessage() != null && ex.getMessage().startsWith("Required request body is missing")
              ? "the request body is missing"
              : "the request body cannot be read";
      return problem(ex, HttpStatus.BAD_REQUEST, detail, null, headers, request);
    }
    String field = path(json);
    String message = describe(json, field);
    return problem(ex, HttpStatus.BAD_REQUEST, message, field, headers, request);
  }

  @Override
  protected ResponseEntity<Object> handleTypeMismatch(
      TypeMismatchException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    String field =
        ex instanceof MethodArgumentTypeMismatchException m ? m.getName() : ex.getPropertyName();
    String expected = typeName(ex.getRequiredType());
    String message = field + " must be " + expected + ", got '" + ex.getValue() + "'";
    return problem(ex, HttpStatus.BAD_REQUEST, message, field, headers, request);
  }

  @Override
  protected ResponseEntity<Object> handleMissingServletRequestParameter(
      MissingServletRequestParameterException ex,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    String field = ex.getParameterName();
    return problem(ex, HttpStatus.BAD_REQUEST, field + " is required", field, headers, request);
  }

  @Override
  protected ResponseEntity<Object> createResponseEntity(
      Object body, HttpHeaders headers, HttpStatusCode statusCode, WebRequest request) {
    if (body instanceof ProblemDetail pd) {
      decorate(pd, statusCode, request);
    }
    return super.createResponseEntity(body, headers, statusCode, request);
  }

  private ResponseEntity<Object> problem(
      Exception ex,
      HttpStatusCode status,
      String detail,
      String field,
      HttpHeaders headers,
      WebRequest request) {
    ProblemDetail pd = ProblemDetail.forStatusAndDetail(status, detail);
    if (field != null) {
      pd.setProperty("errors", List.of(new FieldProblem(field, detail)));
    }
    return handleExceptionInternal(ex, pd, headers, status, request);
  }

  private static void decorate(ProblemDetail pd, HttpStatusCode status, WebRequest request) {
    if (pd.getType() == null || "about:blank".equals(pd.getType().toString())) {
      pd.setType(Problems.type(status.value()));
    }
    if (pd.getTitle() == null) {
      pd.setTitle(Problems.title(status.value()));
    }
    if (request instanceof NativeWebRequest nwr
        && nwr.getNativeRequest() instanceof HttpServletRequest http) {
      if (pd.getInstance() == null) {
        // On the error page, the path the client asked for, not /error.
        Object original = http.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        pd.setInstance(Problems.instance(original instanceof String o ? o : http.getRequestURI()));
      }
      Object id = http.getAttribute(RequestIdFilter.ATTRIBUTE);
      if (id != null) {
        pd.setProperty("requestId", id);
      }
    }
  }

  /** Returns the JSON path of a Jackson failure as {@code a.b[2].c}, or null at the root. */
  static String path(JacksonException ex) {
    StringBuilder b = new StringBuilder();
    for (JacksonException.Reference r : ex.getPath()) {
      if (r.getPropertyName() != null) {
        if (!b.isEmpty()) {
          b.append('.');
        }
        b.append(r.getPropertyName());
      } else if (r.getIndex() >= 0) {
        b.append('[').append(r.getIndex()).append(']');
      }
    }
    return b.isEmpty() ? null : b.toString();
  }

  private static String describe(JacksonException ex, String field) {
    String at = field == null ? "the request body" : field;
    IllegalArgumentException iae = cause(ex, IllegalArgumentException.class);
    if (iae != null && iae.getMessage() != null) {
      return at + ": " + iae.getMessage();
    }
    SimulatorException sim = cause(ex, SimulatorException.class);
    if (sim != null) {
      return sim.getMessage();
    }
    if (ex instanceof UnrecognizedPropertyException u) {
      List<String> known = new ArrayList<>();
      Collection<Object> ids = u.getKnownPropertyIds();
      if (ids != null) {
        for (Object id : ids) {
          known.add(String.valueOf(id));
        }
      }
      return "unknown field '"
          + u.getPropertyName()
          + "'"
          + (known.isEmpty() ? "" : " (known: " + String.join(", ", known) + ")");
    }
    if (ex instanceof InvalidFormatException f) {
      return at + " must be " + typeName(f.getTargetType()) + ", got " + quote(f.getValue());
    }
    if (ex instanceof MismatchedInputException m) {
      Class<?> type = m.getTargetType();
      if (type != null && type.isArray() && field != null && field.endsWith("]")) {
        type = type.getComponentType();
      }
      return at + " must be " + typeName(type);
    }
    if (ex instanceof InputCoercionException c) {
      return at + " is out of range for " + typeName(c.getTargetType());
    }
    if (ex instanceof StreamReadException r) {
      return "malformed JSON: "
          + r.getOriginalMessage().replaceAll("\\s*\\(?(start marker )?at \\[Source:.*$", "");
    }
    return at + ": " + ex.getOriginalMessage();
  }

  private static String quote(Object value) {
    return value instanceof String ? "'" + value + "'" : String.valueOf(value);
  }

  /** Returns how a message names the Java type a value had to have. */
  static String typeName(Class<?> type) {
    if (type == null) {
      return "a value of another type";
    }
    if (type == int.class
        || type == Integer.class
        || type == long.class
        || type == Long.class
        || type == short.class
        || type == Short.class) {
      return "an integer";
    }
    if (type == double.class || type == Double.class || type == float.class) {
      return "a number";
    }
    if (type == boolean.class || type == Boolean.class) {
      return "true or false";
    }
    if (type == String.class) {
      return "a string";
    }
    if (type.isArray() || Collection.class.isAssignableFrom(type)) {
      return "an array";
    }
    if (type.isEnum()) {
      return "one of " + java.util.Arrays.toString(type.getEnumConstants());
    }
    if (type == SizeValue.class) {
      return "an integer or a size such as \"4GiB\"";
    }
    if (type == AddressValue.class) {
      return "an integer or a hex string";
    }
    return "a JSON object";
  }

  private static <T extends Throwable> T cause(Throwable t, Class<T> type) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (type.isInstance(c)) {
        return type.cast(c);
      }
    }
    return null;
  }
}
