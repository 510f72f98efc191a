package io.cvmsim.scenario.expr;

import java.math.BigDecimal;

/**
 * An expectation: two values and how they must compare.
 *
 * @param text the expression as written
 * @param left the left value
 * @param op one of == != < <= > >=
 * @param right the right value
 */
public record Comparison(String text, Expr left, String op, Expr right) {

  /**
   * What an evaluation found.
   *
   * @param passed whether the comparison holds
   * @param actual the left value as people read it
   * @param expected the operator and the right value as people read them
   * @param actualValue the left value as a number, or null for views
   * @param expectedValue the right value as a number, or null for views
   * @param unit "bytes", "seconds", or null for plain numbers and views
   * @param detail where two views differ, or null
   */
  public record Outcome(
      boolean passed,
      String actual,
      String expected,
      BigDecimal actualValue,
      BigDecimal expectedValue,
      String unit,
      String detail) {}

  /**
   * Evaluates the comparison.
   *
   * @throws EvalException if a value cannot be computed now
   */
  public Outcome evaluate(Probe probe) {
    Object a = left.eval(probe);
    Object b = right.eval(probe);
    if (a instanceof Views va && b instanceof Views vb) {
      String diff = va.firstDifference(vb);
      boolean same = diff == null;
      return new Outcome(
          op.equals("==") == same,
          va.describe(),
          op + " " + vb.describe(),
          null,
          null,
          null,
          same ? "identical" : diff);
    }
    BigDecimal x = (BigDecimal) a;
    BigDecimal y = (BigDecimal) b;
    int c = x.compareTo(y);
    boolean passed =
        switch (op) {
          case "==" -> c == 0;
          case "!=" -> c != 0;
          case "<" -> c < 0;
          case "<=" -> c <= 0;
          case ">" -> c > 0;
          default -> c >= 0;
        };
    Dim dim = left instanceof Expr.Literal l && l.anyDim() ? right.dim() : left.dim();
    String unit =
        switch (dim) {
          case BYTES -> "bytes";
          case SECONDS -> "seconds";
          default -> null;
        };
    return new Outcome(
        passed,
        dim.format(x),
        op + " " + dim.format(y),
        Dim.normalize(x),
        Dim.normalize(y),
        unit,
        null);
  }
}
