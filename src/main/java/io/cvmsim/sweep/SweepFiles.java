package io.cvmsim.sweep;

import io.cvmsim.scenario.expr.Dim;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The files a sweep writes: for a shard {@code <name>.shard-<i>-of-<n>.csv} and {@code .jsonl}, for
 * a whole table (one process, or merged) {@code <name>.csv} and {@code <name>.jsonl}. Both start
 * with a header naming the sweep, its SHA-256, the cvmsim version and the number of configurations
 * (shard files add the shard, N and their row count); rows follow in configuration order. CSV
 * headers are {@code #} comment lines before the column names; the JSON lines header is the first
 * line. A row's text never depends on the shard it was computed in, so a merge only reorders lines,
 * and its output is byte for byte what one process writes.
 */
public final class SweepFiles {

  private SweepFiles() {}

  /**
   * What the header says.
   *
   * @param sweep the sweep's name
   * @param sha256 the file's SHA-256
   * @param version the cvmsim version that computed the rows
   * @param configurations the sweep's configurations (all shards)
   * @param columns the column names
   */
  public record Meta(
      String sweep, String sha256, String version, long configurations, List<String> columns) {}

  /** Returns a shard's CSV file name. */
  public static String shardCsv(String sweep, Shard s) {
    return sweep + ".shard-" + s.index() + "-of-" + s.count() + ".csv";
  }

  /** Returns a shard's JSON lines file name. */
  public static String shardJsonl(String sweep, Shard s) {
    return sweep + ".shard-" + s.index() + "-of-" + s.count() + ".jsonl";
  }

  /** Returns the whole table's CSV file name. */
  public static String tableCsv(String sweep) {
    return sweep + ".csv";
  }

  /** Returns the whole table's JSON lines file name. */
  public static String tableJsonl(String sweep) {
    return sweep + ".jsonl";
  }

  /** Returns the CSV header (comment lines and the column names), shard null for a table. */
  public static String csvHeader(Meta m, Shard shard, long rows) {
    StringBuilder b = new StringBuilder();
    b.append("# cvmsim sweep ").append(m.sweep()).append('\n');
    b.append("# sha256 ").append(m.sha256()).append('\n');
    b.append("# cvmsim ").append(m.version()).append('\n');
    b.append("# configurations ").append(m.configurations()).append('\n');
    if (shard != null) {
      b.append("# shard ").append(shard).append(" rows ").append(rows).append('\n');
    }
    for (int i = 0; i < m.columns().size(); i++) {
      if (i > 0) {
        b.append(',');
      }
      b.append(csv(m.columns().get(i)));
    }
    return b.append('\n').toString();
  }

  /** Returns the JSON lines header line, shard null for a table. */
  public static String jsonHeader(Meta m, Shard shard, long rows) {
    StringBuilder b = new StringBuilder("{\"sweep\":");
    json(b, m.sweep());
    b.append(",\"sha256\":");
    json(b, m.sha256());
    b.append(",\"cvmsim\":");
    json(b, m.version());
    b.append(",\"configurations\":").append(m.configurations());
    if (shard != null) {
      b.append(",\"shard\":").append(shard.index());
      b.append(",\"shards\":").append(shard.count());
      b.append(",\"rows\":").append(rows);
    }
    b.append(",\"columns\":[");
    for (int i = 0; i < m.columns().size(); i++) {
      if (i > 0) {
        b.append(',');
      }
      json(b, m.columns().get(i));
    }
    return b.append("]}\n").toString();
  }

  /** Returns one row as a CSV line: numbers plain, text quoted when it must be, null empty. */
  public static String csvRow(List<Object> cells) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      if (i > 0) {
        b.append(',');
      }
      Object c = cells.get(i);
      if (c != null) {
        b.append(csv(text(c)));
      }
    }
    return b.append('\n').toString();
  }

  /** Returns one row as a JSON object line, keys from {@code columns}. */
  public static String jsonRow(List<String> columns, List<Object> cells) {
    StringBuilder b = new StringBuilder("{");
    for (int i = 0; i < cells.size(); i++) {
      if (i > 0) {
        b.append(',');
      }
      json(b, columns.get(i));
      b.append(':');
      Object c = cells.get(i);
      if (c == null) {
        b.append("null");
      } else if (c instanceof Number) {
        b.append(text(c));
      } else {
        json(b, c.toString());
      }
    }
    return b.append("}\n").toString();
  }

  private static String text(Object c) {
    if (c instanceof BigDecimal d) {
      return Dim.plain(d);
    }
    return c.toString();
  }

  private static String csv(String s) {
    if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
      return s;
    }
    return '"' + s.replace("\"", "\"\"") + '"';
  }

  private static void json(StringBuilder b, String s) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }

  /** Writes {@code text} to {@code target} through a temporary file and an atomic rename. */
  public static void writeAtomically(Path target, CharSequence text) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
    try {
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
