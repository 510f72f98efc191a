package io.cvmsim.scenario.doc;

import java.math.BigDecimal;
import java.util.List;

/**
 * A parsed YAML or JSON document as a tree whose every node knows where it stands in the file, so
 * that each problem found later can name its line and column. Aliases, tags and non-scalar keys are
 * refused while parsing; keys are unique.
 */
public sealed interface Node permits Node.Scalar, Node.Sequence, Node.Mapping {

  /** Returns where the node starts. */
  Mark mark();

  /** Returns what the node is, for messages ("a mapping", "a list", "a string"...). */
  String describe();

  /** What a scalar holds. */
  enum Kind {
    STRING,
    INTEGER,
    DECIMAL,
    BOOLEAN,
    NULL
  }

  /**
   * A scalar.
   *
   * @param mark where the node starts (a quote, for quoted scalars)
   * @param kind what it holds
   * @param text its text (for YAML the scalar's value, for JSON the token's text)
   * @param number its exact value for INTEGER and DECIMAL, else null
   * @param textMark where the first character of {@code text} stands
   * @param exactColumns whether {@code textMark.plus(i)} is the position of {@code text}'s i-th
   *     character (a one-line scalar without escapes)
   */
  record Scalar(
      Mark mark, Kind kind, String text, BigDecimal number, Mark textMark, boolean exactColumns)
      implements Node {

    /** Returns the position of the {@code offset}-th character of the text, as well as known. */
    public Mark at(int offset) {
      return exactColumns ? textMark.plus(offset) : mark;
    }

    @Override
    public String describe() {
      return switch (kind) {
        case STRING -> "the string '" + text + "'";
        case INTEGER, DECIMAL -> "the number " + text;
        case BOOLEAN -> text;
        case NULL -> "null";
      };
    }
  }

  /**
   * A list.
   *
   * @param mark where it starts
   * @param items its items
   */
  record Sequence(Mark mark, List<Node> items) implements Node {
    @Override
    public String describe() {
      return "a list";
    }
  }

  /**
   * One key and its value.
   *
   * @param key the key
   * @param keyMark where the key stands
   * @param value the value
   */
  record Entry(String key, Mark keyMark, Node value) {}

  /**
   * A mapping, keys in file order.
   *
   * @param mark where it starts
   * @param entries its entries
   */
  record Mapping(Mark mark, List<Entry> entries) implements Node {

    /** Returns the entry with this key, or null. */
    public Entry entry(String key) {
      for (Entry e : entries) {
        if (e.key().equals(key)) {
          return e;
        }
      }
      return null;
    }

    @Override
    public String describe() {
      return "a mapping";
    }
  }
}
