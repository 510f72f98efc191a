package io.cvmsim.scenario.expr;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;

/**
 * A typed expression tree; {@link ExprParser} builds it and checks dimensions, so evaluation only
 * fails for reasons a run causes (division by zero, a value that cannot be read now).
 */
public sealed interface Expr permits Expr.Literal, Expr.Ref, Expr.Neg, Expr.Binary, Expr.Call {

  /** Division keeps 16 significant digits. */
  MathContext MATH = MathContext.DECIMAL64;

  /** Returns what the value measures. */
  Dim dim();

  /** Returns where the expression starts in its text. */
  int offset();

  /** Returns the value: a BigDecimal, or {@link Views}. */
  Object eval(Probe probe);

  /** Returns the value as a number. */
  default BigDecimal number(Probe probe) {
    return (BigDecimal) eval(probe);
  }

  /**
   * A number with its dimension.
   *
   * @param value the value (bytes, seconds, or plain)
   * @param dim its dimension
   * @param anyDim whether it is a bare 0, which goes with any dimension
   * @param offset where it stands
   */
  record Literal(BigDecimal value, Dim dim, boolean anyDim, int offset) implements Expr {
    @Override
    public Object eval(Probe probe) {
      return value;
    }
  }

  /**
   * A named value.
   *
   * @param text the reference as written
   * @param reader what reads it
   * @param offset where it stands
   */
  record Ref(String text, Reader reader, int offset) implements Expr {
    @Override
    public Dim dim() {
      return reader.dim();
    }

    @Override
    public Object eval(Probe probe) {
      return reader.read(probe);
    }
  }

  /**
   * The negation of a value.
   *
   * @param operand the value
   * @param offset where the minus stands
   */
  record Neg(Expr operand, int offset) implements Expr {
    @Override
    public Dim dim() {
      return operand.dim();
    }

    @Override
    public Object eval(Probe probe) {
      return operand.number(probe).negate();
    }
  }

  /**
   * Two values joined by +, -, * or /.
   *
   * @param op the operator
   * @param left the left value
   * @param right the right value
   * @param dim the result's dimension
   * @param offset where the operator stands
   */
  record Binary(char op, Expr left, Expr right, Dim dim, int offset) implements Expr {
    @Override
    public Object eval(Probe probe) {
      BigDecimal a = left.number(probe);
      BigDecimal b = right.number(probe);
      return switch (op) {
        case '+' -> a.add(b);
        case '-' -> a.subtract(b);
        case '*' -> a.multiply(b);
        default -> {
          if (b.signum() == 0) {
            throw new EvalException("division by zero");
          }
          yield a.divide(b, MATH);
        }
      };
    }
  }

  /**
   * abs(x), min(x, y, ...) or max(x, y, ...).
   *
   * @param function the function's name
   * @param args its arguments
   * @param dim the result's dimension
   * @param offset where the name stands
   */
  record Call(String function, List<Expr> args, Dim dim, int offset) implements Expr {
    @Override
    public Object eval(Probe probe) {
      BigDecimal r = args.get(0).number(probe);
      if (function.equals("abs")) {
        return r.abs();
      }
      for (int i = 1; i < args.size(); i++) {
        BigDecimal v = args.get(i).number(probe);
        r = function.equals("min") ? r.min(v) : r.max(v);
      }
      return r;
    }
  }
}
