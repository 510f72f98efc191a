package io.cvmsim.scenario.expr;

import io.cvmsim.core.memory.Sizes;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * What a value measures. Arithmetic and comparisons check dimensions before anything runs: bytes
 * compare with bytes ({@code 1GiB}), seconds with seconds ({@code 2s}), plain numbers with plain
 * numbers; the literal {@code 0} goes with any of them.
 */
public enum Dim {
  /** A count, a ratio or a page number: no unit. */
  NUMBER("a plain number"),
  /** Bytes; literals take B, KiB, MiB, GiB, TiB, PiB (kB is KiB, as /proc writes it). */
  BYTES("bytes"),
  /** Simulated seconds; literals take ns, us, ms, s. */
  SECONDS("seconds"),
  /** A snapshot's recorded views; only == and != apply. */
  VIEWS("recorded views");

  private final String words;

  Dim(String words) {
    this.words = words;
  }

  /** Returns the dimension in words, for messages. */
  public String words() {
    return words;
  }

  /** Returns a value of this dimension as people read it, e.g. "1GiB", "8.95s", "0.25". */
  public String format(BigDecimal v) {
    String plain = plain(v);
    return switch (this) {
      case BYTES -> bytes(v, plain);
      case SECONDS -> plain + "s";
      default -> plain;
    };
  }

  /**
   * Returns bytes exactly, in the largest unit that divides them, with a rounded reading in the
   * largest unit below them when the exact form is long: "1GiB", "692MiB", "1175168KiB (1.12GiB)",
   * "7098155827.2B (6.61GiB)".
   */
  private static String bytes(BigDecimal v, String plain) {
    String exact;
    BigDecimal shown;
    if (v.signum() >= 0
        && v.stripTrailingZeros().scale() <= 0
        && v.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) <= 0) {
      exact = Sizes.format(v.longValueExact());
      shown = new BigDecimal(exact.replaceAll("[^0-9]", ""));
    } else {
      exact = plain + "B";
      shown = v.abs();
    }
    if (shown.compareTo(BigDecimal.valueOf(1024)) < 0) {
      return exact;
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    BigDecimal scaled = v.abs();
    int u = -1;
    while (u < units.length - 1 && scaled.compareTo(BigDecimal.valueOf(1024)) >= 0) {
      scaled = scaled.divide(BigDecimal.valueOf(1024));
      u++;
    }
    String sign = v.signum() < 0 ? "-" : "";
    return exact
        + " ("
        + sign
        + scaled.setScale(2, RoundingMode.HALF_EVEN).toPlainString()
        + units[u]
        + ")";
  }

  /** Returns a number without exponent and without trailing zeros ("1.5", "100", "-0.25"). */
  public static String plain(BigDecimal v) {
    return normalize(v).toPlainString();
  }

  /** Returns the value without trailing zeros and never with a negative scale (so no exponent). */
  public static BigDecimal normalize(BigDecimal v) {
    BigDecimal s = v.stripTrailingZeros();
    return s.scale() < 0 ? s.setScale(0) : s;
  }
}
