package io.cvmsim.scenario.expr;

/**
 * A value that cannot be computed while a run is under way: division by zero, a VM not booted far
 * enough for a view, a step that failed. The expectation is then an error, not a failure.
 */
public final class EvalException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Creates the exception. */
  public EvalException(String message) {
    super(message);
  }
}
