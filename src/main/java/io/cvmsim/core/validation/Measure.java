package io.cvmsim.core.validation;

/**
 * One number compared: what the kernel had, what cvmsim had, and their distance. For a count the
 * distance is the relative error |cvmsim − kernel| / max(1, |kernel|); for a distribution it is the
 * total variation distance, and {@code kernel} and {@code cvmsim} are null.
 *
 * @param name what is compared ("free pages", "managed DMA32", "order TVD", ...)
 * @param kernel the kernel's value, or null for a distance between distributions
 * @param cvmsim cvmsim's value, or null for a distance between distributions
 * @param distance the distance, 0 for a perfect match
 */
public record Measure(String name, Double kernel, Double cvmsim, double distance) {

  /** Returns a count compared by relative error. */
  public static Measure count(String name, double kernel, double cvmsim) {
    return new Measure(
        name, kernel, cvmsim, Math.abs(cvmsim - kernel) / Math.max(1, Math.abs(kernel)));
  }

  /** Returns a distance between two distributions. */
  public static Measure tvd(String name, double distance) {
    return new Measure(name, null, null, distance);
  }

  /**
   * Returns the total variation distance of two non-negative weight vectors, each normalised to 1
   * (0 when both are empty, 1 when only one is).
   */
  public static double tvd(double[] p, double[] q) {
    double sp = 0;
    double sq = 0;
    for (int i = 0; i < p.length; i++) {
      sp += p[i];
      sq += q[i];
    }
    if (sp == 0 || sq == 0) {
      return sp == sq ? 0 : 1;
    }
    double d = 0;
    for (int i = 0; i < p.length; i++) {
      d += Math.abs(p[i] / sp - q[i] / sq);
    }
    return d / 2;
  }
}
