package io.cvmsim.core.stats;

import java.util.Locale;

/**
 * Draws a {@link MemoryMapView} as an SVG picture: one column per bucket, its height split by
 * state, with a legend and an accessible title and description.
 */
public final class MemoryMapSvg {

  private static final int WIDTH = 1024;
  private static final int BAR_HEIGHT = 120;
  private static final int TOP = 36;
  private static final int LEGEND_ROW = 18;

  private MemoryMapSvg() {}

  /** Returns the SVG document. */
  public static String render(MemoryMapView view, String title) {
    int n = view.buckets().size();
    MapState[] states = MapState.values();
    int legendRows = (states.length + 2) / 3;
    int height = TOP + BAR_HEIGHT + 28 + legendRows * LEGEND_ROW + 8;
    StringBuilder b = new StringBuilder(64 * n + 4096);
    b.append("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"")
        .append(WIDTH)
        .append("\" height=\"")
        .append(height)
        .append("\" viewBox=\"0 0 ")
        .append(WIDTH)
        .append(' ')
        .append(height)
        .append("\" aria-labelledby=\"t d\" font-family=\"sans-serif\" font-size=\"12\">\n");
    b.append("<title id=\"t\">").append(escape(title)).append("</title>\n");
    b.append("<desc id=\"d\">Physical address space from ")
        .append(hex(view.from()))
        .append(" to ")
        .append(hex(view.to()))
        .append(" in ")
        .append(n)
        .append(" columns of ")
        .append(io.cvmsim.core.memory.Sizes.format(view.bucketBytes()))
        .append("; ");
    long total = view.to() - view.from();
    for (MapState s : states) {
      long v = view.totals()[s.ordinal()];
      if (v > 0) {
        b.append(s.description())
            .append(' ')
            .append(String.format(Locale.ROOT, "%.1f%%", 100.0 * v / Math.max(1, total)))
            .append("; ");
      }
    }
    b.append("</desc>\n");
    b.append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
    b.append("<text x=\"8\" y=\"22\" font-size=\"14\">").append(escape(title)).append("</text>\n");
    double colWidth = (double) WIDTH / Math.max(1, n);
    for (int i = 0; i < n; i++) {
      MemoryMapView.Bucket bucket = view.buckets().get(i);
      long span = bucket.end() - bucket.start();
      double y = TOP;
      double x = i * colWidth;
      for (MapState s : states) {
        long v = bucket.bytes()[s.ordinal()];
        if (v <= 0) {
          continue;
        }
        double h = BAR_HEIGHT * (double) v / span;
        b.append(
            String.format(
                Locale.ROOT,
                "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"%s\"/>%n",
                x,
                y,
                colWidth + 0.05,
                h,
                s.color()));
        y += h;
      }
    }
    int axisY = TOP + BAR_HEIGHT + 14;
    b.append("<text x=\"0\" y=\"")
        .append(axisY)
        .append("\">")
        .append(hex(view.from()))
        .append("</text>\n");
    b.append("<text x=\"")
        .append(WIDTH)
        .append("\" y=\"")
        .append(axisY)
        .append("\" text-anchor=\"end\">")
        .append(hex(view.to()))
        .append("</text>\n");
    for (int i = 0; i < states.length; i++) {
      MapState s = states[i];
      int col = i % 3;
      int row = i / 3;
      int lx = 8 + col * 330;
      int ly = axisY + 14 + row * LEGEND_ROW;
      b.append("<rect x=\"")
          .append(lx)
          .append("\" y=\"")
          .append(ly - 10)
          .append("\" width=\"12\" height=\"12\" fill=\"")
          .append(s.color())
          .append("\" stroke=\"#333333\" stroke-width=\"0.5\"/>\n");
      b.append("<text x=\"")
          .append(lx + 18)
          .append("\" y=\"")
          .append(ly)
          .append("\">")
          .append(escape(s.description()))
          .append("</text>\n");
    }
    b.append("</svg>\n");
    return b.toString();
  }

  private static String hex(long v) {
    return "0x" + Long.toHexString(v);
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
