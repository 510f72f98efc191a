package io.cvmsim.scenario.expr;

/** An expression that cannot be read or typed, with the character where the problem is. */
public final class ExprException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int offset;

  /** Creates the exception for the character at {@code offset} (from 0). */
  public ExprException(int offset, String message) {
    super(message);
    this.offset = offset;
  }

  /** Returns the offset of the character at fault, from 0. */
  public int offset() {
    return offset;
  }
}
