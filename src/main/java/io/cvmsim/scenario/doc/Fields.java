package io.cvmsim.scenario.doc;

import io.cvmsim.core.memory.Sizes;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads the fields of one mapping strictly: each read names the key it expects, a wrong type or
 * value is recorded as a problem at the value's position (and the read returns null, so reading
 * goes on and every problem is found in one pass), and {@link #finish} records every key nobody
 * read as unknown, with a suggestion when one is close.
 */
public final class Fields {

  private static final Node.Mapping EMPTY = new Node.Mapping(new Mark(1, 1), List.of());

  private final Node.Mapping map;
  private final String path;
  private final Problems problems;
  private final Set<String> known = new LinkedHashSet<>();

  private Fields(Node.Mapping map, String path, Problems problems) {
    this.map = map;
    this.path = path;
    this.problems = problems;
  }

  /**
   * Returns a reader of {@code node}; if it is not a mapping, records that and returns a reader of
   * nothing.
   */
  public static Fields of(Node node, String path, Problems problems) {
    if (node instanceof Node.Mapping m) {
      return new Fields(m, path, problems);
    }
    problems.add(
        node.mark(), path, (path.isEmpty() ? "the file" : path) + " must be a mapping of fields");
    return new Fields(EMPTY, path, problems);
  }

  /** Returns the problems this reader records into. */
  public Problems problems() {
    return problems;
  }

  /** Returns the mapping's position. */
  public Mark mark() {
    return map.mark();
  }

  /** Returns the mapping's own path. */
  public String path() {
    return path;
  }

  /** Returns the path of a field of this mapping. */
  public String path(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  /** Returns whether the mapping has the key (and marks it known). */
  public boolean has(String key) {
    known.add(key);
    return map.entry(key) != null;
  }

  /** Returns the value of {@code key}, or null if absent; the key counts as known. */
  public Node node(String key) {
    known.add(key);
    Node.Entry e = map.entry(key);
    return e == null ? null : e.value();
  }

  /** Returns the position of the key, or of the mapping if absent. */
  public Mark keyMark(String key) {
    Node.Entry e = map.entry(key);
    return e == null ? map.mark() : e.keyMark();
  }

  /** Records that a required key is missing. */
  public void missing(String key) {
    problems.add(map.mark(), path(key), key + " is required");
  }

  /** Returns a scalar's text (strings, and numbers or booleans as written), or null. */
  public String string(String key, boolean required) {
    Node n = node(key);
    if (n == null || isNull(n)) {
      if (required) {
        missing(key);
      }
      return null;
    }
    if (!(n instanceof Node.Scalar s)) {
      problems.add(n.mark(), path(key), key + " must be a single value, not " + n.describe());
      return null;
    }
    if (outOfRange(s)) {
      // a text field takes a plain number as its text (kernel: 6.1, name: 2024), but not one
      // that no number field could hold (1e400, 30 digits): that is a mistake, not a name
      problems.add(
          n.mark(), path(key), key + " must be a string or a number in range, not " + n.describe());
      return null;
    }
    return s.text();
  }

  /** Whether a number scalar lies beyond a long (integers) or a double (decimals). */
  private static boolean outOfRange(Node.Scalar s) {
    if (s.number() == null) {
      return false;
    }
    if (s.kind() == Node.Kind.INTEGER) {
      return s.number().abs().compareTo(LONG_MAX) > 0;
    }
    return Double.isInfinite(s.number().doubleValue());
  }

  private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);

  /** Returns an integer field within [min, max], or null. */
  public Long integer(String key, boolean required, long min, long max) {
    Node n = node(key);
    if (n == null || isNull(n)) {
      if (required) {
        missing(key);
      }
      return null;
    }
    return integer(n, path(key), key, min, max, problems);
  }

  /** Returns {@code n} as an integer within [min, max], or null after recording why not. */
  public static Long integer(Node n, String path, String name, long min, long max, Problems pr) {
    BigDecimal v = null;
    if (n instanceof Node.Scalar s && s.kind() == Node.Kind.INTEGER) {
      v = s.number();
    } else if (n instanceof Node.Scalar s && s.kind() == Node.Kind.STRING) {
      try {
        v = BigDecimal.valueOf(Sizes.parseAddress(s.text()));
      } catch (IllegalArgumentException e) {
        v = null;
      }
    }
    if (v == null) {
      pr.add(n.mark(), path, name + " must be an integer, not " + n.describe());
      return null;
    }
    if (v.compareTo(BigDecimal.valueOf(min)) < 0 || v.compareTo(BigDecimal.valueOf(max)) > 0) {
      pr.add(n.mark(), path, name + " must be between " + min + " and " + max + ", got " + v);
      return null;
    }
    return v.longValueExact();
  }

  /** Returns a size field (an integer, or a string such as "4GiB" or "0x1000"), or null. */
  public Long size(String key, boolean required) {
    Node n = node(key);
    if (n == null || isNull(n)) {
      if (required) {
        missing(key);
      }
      return null;
    }
    return size(n, path(key), key, problems);
  }

  /** Returns {@code n} as a size, or null after recording why not. */
  public static Long size(Node n, String path, String name, Problems pr) {
    if (n instanceof Node.Scalar s && s.kind() == Node.Kind.INTEGER) {
      if (s.number().signum() < 0 || s.number().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
        pr.add(n.mark(), path, name + " must be between 0 and 2^63-1 bytes, got " + s.text());
        return null;
      }
      return s.number().longValueExact();
    }
    if (n instanceof Node.Scalar s && s.kind() == Node.Kind.STRING) {
      try {
        return Sizes.parseBytes(s.text());
      } catch (IllegalArgumentException e) {
        pr.add(n.mark(), path, name + ": " + e.getMessage());
        return null;
      }
    }
    pr.add(n.mark(), path, name + " must be a size such as 4GiB, not " + n.describe());
    return null;
  }

  /** Returns a number field (integer or decimal) within [min, max], or null. */
  public Double number(String key, boolean required, double min, double max) {
    Node n = node(key);
    if (n == null || isNull(n)) {
      if (required) {
        missing(key);
      }
      return null;
    }
    if (n instanceof Node.Scalar s
        && (s.kind() == Node.Kind.INTEGER || s.kind() == Node.Kind.DECIMAL)) {
      double v = s.number().doubleValue();
      if (!(v >= min && v <= max)) {
        problems.add(n.mark(), path(key), key + " must be between " + min + " and " + max);
        return null;
      }
      return v;
    }
    problems.add(n.mark(), path(key), key + " must be a number, not " + n.describe());
    return null;
  }

  /** Returns a boolean field, or null. */
  public Boolean bool(String key) {
    Node n = node(key);
    if (n == null || isNull(n)) {
      return null;
    }
    if (n instanceof Node.Scalar s && s.kind() == Node.Kind.BOOLEAN) {
      String t = s.text().toLowerCase(Locale.ROOT);
      return t.equals("true") || t.equals("yes") || t.equals("on") || t.equals("y");
    }
    problems.add(n.mark(), path(key), key + " must be true or false, not " + n.describe());
    return null;
  }

  /** Returns a list field's items (a single value counts as a list of one), or null if absent. */
  public List<Node> list(String key, boolean required) {
    Node n = node(key);
    if (n == null || isNull(n)) {
      if (required) {
        missing(key);
      }
      return null;
    }
    return n instanceof Node.Sequence s ? s.items() : List.of(n);
  }

  /** Records every key that was never read as unknown. */
  public void finish() {
    for (Node.Entry e : map.entries()) {
      if (!known.contains(e.key())) {
        problems.add(
            e.keyMark(),
            path(e.key()),
            "unknown field '" + e.key() + "'" + suggest(e.key(), known));
      }
    }
  }

  /** Returns " (did you mean 'x'?)" for a close known name, or the known names, or "". */
  public static String suggest(String name, Collection<String> known) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String k : known) {
      int d = distance(name.toLowerCase(Locale.ROOT), k.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        bestDistance = d;
        best = k;
      }
    }
    if (best != null && bestDistance <= Math.max(1, Math.min(2, name.length() / 3))) {
      return " (did you mean '" + best + "'?)";
    }
    if (known.isEmpty() || known.size() > 24) {
      return "";
    }
    return " (known: " + String.join(", ", known) + ")";
  }

  /** Returns the edit distance with adjacent transpositions (optimal string alignment). */
  private static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        int v = Math.min(d[i - 1][j - 1] + cost, Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1));
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          v = Math.min(v, d[i - 2][j - 2] + 1);
        }
        d[i][j] = v;
      }
    }
    return d[a.length()][b.length()];
  }

  /** Returns whether {@code n} is a null scalar. */
  public static boolean isNull(Node n) {
    return n instanceof Node.Scalar s && s.kind() == Node.Kind.NULL;
  }

  /**
   * Returns a node as the plain values a JSON request body would give: String, Long, Double,
   * Boolean, null, List and Map. A number beyond 64 bits is recorded as a problem (and read as
   * null).
   */
  public static Object plain(Node n, String path, Problems problems) {
    if (n instanceof Node.Mapping m) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Node.Entry e : m.entries()) {
        out.put(e.key(), plain(e.value(), path + "." + e.key(), problems));
      }
      return out;
    }
    if (n instanceof Node.Sequence s) {
      List<Object> out = new ArrayList<>();
      for (int i = 0; i < s.items().size(); i++) {
        out.add(plain(s.items().get(i), path + "[" + i + "]", problems));
      }
      return out;
    }
    Node.Scalar s = (Node.Scalar) n;
    return switch (s.kind()) {
      case STRING -> s.text();
      case BOOLEAN -> {
        String t = s.text().toLowerCase(Locale.ROOT);
        yield t.equals("true") || t.equals("yes") || t.equals("on") || t.equals("y");
      }
      case NULL -> null;
      case INTEGER -> {
        try {
          yield s.number().longValueExact();
        } catch (ArithmeticException e) {
          problems.add(n.mark(), path, path + " is out of range: " + s.text());
          yield null;
        }
      }
      case DECIMAL -> s.number().doubleValue();
    };
  }
}
