package io.cvmsim.core;

/**
 * A request the simulator refuses, with the reason and the kind of refusal. The core throws it
 * before changing any state, so a refused request leaves a VM exactly as it was. The API maps each
 * {@link Kind} to an HTTP status.
 */
public class SimulatorException extends RuntimeException {

  /** Why a request was refused. */
  public enum Kind {
    /** Malformed input (HTTP 400). */
    BAD_REQUEST,
    /** Well-formed but impossible, e.g. overlapping descriptors (HTTP 422). */
    UNPROCESSABLE,
    /** The object does not exist (HTTP 404). */
    NOT_FOUND,
    /** Conflicts with the current state, e.g. a name clash or a VM not booted far enough (409). */
    CONFLICT,
    /** Larger than a configured limit (HTTP 413). */
    TOO_LARGE,
    /** The service is at a configured capacity; retry later (HTTP 503). */
    AT_CAPACITY
  }

  private static final long serialVersionUID = 1L;

  private final Kind kind;
  private final String field;

  /** Creates a refusal of the given kind; {@code field} names the input at fault or is null. */
  public SimulatorException(Kind kind, String field, String message) {
    super(message);
    this.kind = kind;
    this.field = field;
  }

  /** Returns the kind of refusal. */
  public Kind kind() {
    return kind;
  }

  /** Returns the request field at fault, or null. */
  public String field() {
    return field;
  }

  /** Returns a 400 refusal for a malformed field. */
  public static SimulatorException badRequest(String field, String message) {
    return new SimulatorException(Kind.BAD_REQUEST, field, message);
  }

  /** Returns a 422 refusal for a well-formed but impossible request. */
  public static SimulatorException unprocessable(String field, String message) {
    return new SimulatorException(Kind.UNPROCESSABLE, field, message);
  }

  /** Returns a 409 refusal. */
  public static SimulatorException conflict(String message) {
    return new SimulatorException(Kind.CONFLICT, null, message);
  }

  /** Returns a 404 refusal. */
  public static SimulatorException notFound(String message) {
    return new SimulatorException(Kind.NOT_FOUND, null, message);
  }

  /** Returns a 413 refusal for a request over a configured limit. */
  public static SimulatorException tooLarge(String field, String message) {
    return new SimulatorException(Kind.TOO_LARGE, field, message);
  }
}
