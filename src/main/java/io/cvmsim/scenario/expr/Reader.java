package io.cvmsim.scenario.expr;

/** Reads one named value (a view's field, a counter, a step's result) from a running guest. */
public interface Reader {

  /** Returns what the value measures. */
  Dim dim();

  /**
   * Returns the value: a {@link java.math.BigDecimal}, or {@link Views} for {@link Dim#VIEWS}.
   *
   * @throws EvalException if it cannot be read now
   */
  Object read(Probe probe);
}
