package io.cvmsim.scenario.doc;

import java.io.StringReader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.json.JsonFactory;

/**
 * Parses YAML (SnakeYAML's composer, no object construction) and JSON (Jackson's streaming parser)
 * into {@link Node} trees that keep each node's line and column. A document that cannot be parsed
 * is a {@link DocumentException} of kind {@code SYNTAX} naming where the parser stopped.
 */
public final class Documents {

  /** The deepest nesting a file may have. */
  public static final int MAX_DEPTH = 32;

  /** The file formats. */
  public enum Format {
    YAML,
    JSON;

    /**
     * Returns the format of a media type: {@code application/json} (and {@code +json} types) is
     * JSON; {@code application/yaml}, {@code application/x-yaml} and {@code text/yaml} are YAML.
     *
     * @throws IllegalArgumentException for any other type
     */
    public static Format ofMediaType(String type) {
      String t = type.toLowerCase(Locale.ROOT);
      int semi = t.indexOf(';');
      if (semi >= 0) {
        t = t.substring(0, semi);
      }
      t = t.trim();
      if (t.equals("application/json") || t.endsWith("+json")) {
        return JSON;
      }
      if (t.equals("application/yaml") || t.equals("application/x-yaml") || t.equals("text/yaml")) {
        return YAML;
      }
      throw new IllegalArgumentException("not a YAML or JSON media type: " + type);
    }

    /** Returns the format a file name implies: JSON for {@code .json}, else YAML. */
    public static Format ofFileName(String name) {
      return name.toLowerCase(Locale.ROOT).endsWith(".json") ? JSON : YAML;
    }
  }

  private Documents() {}

  /**
   * Parses {@code text}.
   *
   * @param source the file's name for messages
   * @throws DocumentException (SYNTAX) if it is not a well-formed document of its format, or holds
   *     aliases, tags or duplicate keys
   */
  public static Node parse(String text, Format format, String source) {
    Problems problems = new Problems(source);
    Node root = format == Format.JSON ? json(text, problems) : yaml(text, problems);
    if (problems.any()) {
      throw new DocumentException(DocumentException.Kind.SYNTAX, source, problems.list());
    }
    if (root == null) {
      throw new DocumentException(
          DocumentException.Kind.SYNTAX,
          source,
          List.of(new Problem(1, 1, "", "the file is empty")));
    }
    return root;
  }

  // ------------------------------------------------------------------ YAML

  private static Node yaml(String text, Problems problems) {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    options.setMaxAliasesForCollections(10);
    options.setAllowRecursiveKeys(false);
    options.setNestingDepthLimit(MAX_DEPTH);
    options.setCodePointLimit(Math.max(1, text.length() + 1));
    Yaml yaml = new Yaml(new SafeConstructor(options));
    org.yaml.snakeyaml.nodes.Node root;
    try {
      root = yaml.compose(new StringReader(text));
    } catch (MarkedYAMLException e) {
      org.yaml.snakeyaml.error.Mark m =
          e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      Mark at = m == null ? new Mark(1, 1) : new Mark(m.getLine() + 1, m.getColumn() + 1);
      String what = e.getProblem() != null ? e.getProblem() : e.getMessage();
      String context = e.getContext() != null ? " (" + e.getContext() + ")" : "";
      problems.add(at, "", "YAML syntax: " + what + context);
      return null;
    } catch (YAMLException e) {
      problems.add(new Mark(1, 1), "", "YAML: " + e.getMessage());
      return null;
    }
    if (root == null) {
      return null;
    }
    return new YamlTree(problems).convert(root, "", new Mark(1, 1));
  }

  /** Converts SnakeYAML's node graph, refusing aliases (a node reached twice) and tags. */
  private static final class YamlTree {
    private static final Set<Tag> STANDARD =
        Set.of(Tag.STR, Tag.INT, Tag.FLOAT, Tag.BOOL, Tag.NULL, Tag.TIMESTAMP, Tag.SEQ, Tag.MAP);

    private final Problems problems;
    private final Set<org.yaml.snakeyaml.nodes.Node> seen =
        Collections.newSetFromMap(new IdentityHashMap<>());

    YamlTree(Problems problems) {
      this.problems = problems;
    }

    /** Converts {@code n}, reached at {@code reachedAt} (where an alias would stand). */
    Node convert(org.yaml.snakeyaml.nodes.Node n, String path, Mark reachedAt) {
      Mark mark = mark(n.getStartMark());
      if (!seen.add(n)) {
        problems.add(
            reachedAt, path, "YAML aliases (*name) are not supported; write the value out");
        return new Node.Scalar(mark, Node.Kind.NULL, "", null, mark, false);
      }
      if (!STANDARD.contains(n.getTag())) {
        problems.add(mark, path, "YAML tags such as " + n.getTag() + " are not supported");
      }
      if (n instanceof MappingNode m) {
        List<Node.Entry> entries = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        for (NodeTuple t : m.getValue()) {
          org.yaml.snakeyaml.nodes.Node k = t.getKeyNode();
          Mark km = mark(k.getStartMark());
          if (!(k instanceof ScalarNode ks)) {
            problems.add(km, path, "a key must be a plain name, not a list or mapping");
            continue;
          }
          String key = ks.getValue();
          String child = path.isEmpty() ? key : path + "." + key;
          if (!keys.add(key)) {
            problems.add(km, child, "duplicate key '" + key + "'");
            continue;
          }
          entries.add(new Node.Entry(key, km, convert(t.getValueNode(), child, km)));
        }
        return new Node.Mapping(mark, List.copyOf(entries));
      }
      if (n instanceof SequenceNode s) {
        List<Node> items = new ArrayList<>();
        for (int i = 0; i < s.getValue().size(); i++) {
          items.add(convert(s.getValue().get(i), path + "[" + i + "]", mark));
        }
        return new Node.Sequence(mark, List.copyOf(items));
      }
      ScalarNode s = (ScalarNode) n;
      return scalar(s, mark, path);
    }

    private Node scalar(ScalarNode s, Mark mark, String path) {
      String text = s.getValue();
      boolean quoted = s.getScalarStyle() != DumperOptions.ScalarStyle.PLAIN;
      Mark start = quoted ? mark.plus(1) : mark;
      org.yaml.snakeyaml.error.Mark end = s.getEndMark();
      boolean oneLine = end != null && end.getLine() + 1 == mark.line();
      boolean exact =
          oneLine
              && (s.getScalarStyle() == DumperOptions.ScalarStyle.PLAIN
                  || s.getScalarStyle() == DumperOptions.ScalarStyle.SINGLE_QUOTED
                  || s.getScalarStyle() == DumperOptions.ScalarStyle.DOUBLE_QUOTED)
              && end.getColumn() + 1 - mark.column() == text.length() + (quoted ? 2 : 0);
      Tag tag = s.getTag();
      if (quoted || tag.equals(Tag.STR) || tag.equals(Tag.TIMESTAMP)) {
        return new Node.Scalar(mark, Node.Kind.STRING, text, null, start, exact);
      }
      if (tag.equals(Tag.NULL)) {
        return new Node.Scalar(mark, Node.Kind.NULL, text, null, start, exact);
      }
      if (tag.equals(Tag.BOOL)) {
        return new Node.Scalar(mark, Node.Kind.BOOLEAN, text, null, start, exact);
      }
      if (tag.equals(Tag.INT)) {
        BigInteger v = yamlInteger(text);
        if (v == null) {
          problems.add(mark, path, "'" + text + "' is not an integer cvmsim can read");
          return new Node.Scalar(mark, Node.Kind.STRING, text, null, start, exact);
        }
        return new Node.Scalar(mark, Node.Kind.INTEGER, text, new BigDecimal(v), start, exact);
      }
      if (tag.equals(Tag.FLOAT)) {
        try {
          BigDecimal v = new BigDecimal(text.replace("_", ""));
          return new Node.Scalar(mark, Node.Kind.DECIMAL, text, v, start, exact);
        } catch (NumberFormatException e) {
          problems.add(mark, path, "'" + text + "' is not a finite number");
          return new Node.Scalar(mark, Node.Kind.STRING, text, null, start, exact);
        }
      }
      return new Node.Scalar(mark, Node.Kind.STRING, text, null, start, exact);
    }

    private static Mark mark(org.yaml.snakeyaml.error.Mark m) {
      return new Mark(m.getLine() + 1, m.getColumn() + 1);
    }
  }

  /**
   * Returns a YAML 1.1 integer's value (decimal, 0x hex, 0b binary, 0 octal, with _ separators), or
   * null for forms cvmsim does not read (sexagesimal).
   */
  static BigInteger yamlInteger(String text) {
    String t = text.replace("_", "");
    boolean negative = false;
    if (t.startsWith("-") || t.startsWith("+")) {
      negative = t.startsWith("-");
      t = t.substring(1);
    }
    BigInteger v;
    try {
      if (t.startsWith("0x")) {
        v = new BigInteger(t.substring(2), 16);
      } else if (t.startsWith("0b")) {
        v = new BigInteger(t.substring(2), 2);
      } else if (t.length() > 1 && t.startsWith("0")) {
        v = new BigInteger(t.substring(1), 8);
      } else {
        v = new BigInteger(t);
      }
    } catch (NumberFormatException e) {
      return null;
    }
    return negative ? v.negate() : v;
  }

  // ------------------------------------------------------------------ JSON

  private static final JsonFactory JSON = new JsonFactory();

  private static Node json(String text, Problems problems) {
    try (JsonParser p = JSON.createParser(ObjectReadContext.empty(), text)) {
      JsonToken t = p.nextToken();
      if (t == null) {
        return null;
      }
      Node root = jsonValue(p, t, "", 0, problems);
      JsonToken trailing = p.nextToken();
      if (trailing != null) {
        problems.add(mark(p.currentTokenLocation()), "", "JSON: more content after the document");
      }
      return root;
    } catch (JacksonException e) {
      TokenStreamLocation loc = e.getLocation();
      Mark at = loc == null ? new Mark(1, 1) : new Mark(loc.getLineNr(), loc.getColumnNr());
      problems.add(at, "", "JSON syntax: " + e.getOriginalMessage());
      return null;
    }
  }

  private static Node jsonValue(JsonParser p, JsonToken t, String path, int depth, Problems pr) {
    Mark mark = mark(p.currentTokenLocation());
    if (depth > MAX_DEPTH) {
      pr.add(mark, path, "nested deeper than " + MAX_DEPTH + " levels");
      p.skipChildren();
      return new Node.Scalar(mark, Node.Kind.NULL, "", null, mark, false);
    }
    switch (t) {
      case START_OBJECT -> {
        List<Node.Entry> entries = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        JsonToken k;
        while ((k = p.nextToken()) == JsonToken.PROPERTY_NAME) {
          String key = p.currentName();
          Mark km = mark(p.currentTokenLocation());
          String child = path.isEmpty() ? key : path + "." + key;
          Node value = jsonValue(p, p.nextToken(), child, depth + 1, pr);
          if (!keys.add(key)) {
            pr.add(km, child, "duplicate key '" + key + "'");
          } else {
            entries.add(new Node.Entry(key, km, value));
          }
        }
        return new Node.Mapping(mark, List.copyOf(entries));
      }
      case START_ARRAY -> {
        List<Node> items = new ArrayList<>();
        JsonToken i;
        while ((i = p.nextToken()) != JsonToken.END_ARRAY) {
          items.add(jsonValue(p, i, path + "[" + items.size() + "]", depth + 1, pr));
        }
        return new Node.Sequence(mark, List.copyOf(items));
      }
      case VALUE_STRING -> {
        String s = p.getString();
        Mark end = mark(p.currentLocation());
        boolean exact = end.line() == mark.line() && end.column() - mark.column() == s.length() + 2;
        return new Node.Scalar(mark, Node.Kind.STRING, s, null, mark.plus(1), exact);
      }
      case VALUE_NUMBER_INT -> {
        String s = p.getText();
        return new Node.Scalar(mark, Node.Kind.INTEGER, s, new BigDecimal(s), mark, true);
      }
      case VALUE_NUMBER_FLOAT -> {
        String s = p.getText();
        return new Node.Scalar(mark, Node.Kind.DECIMAL, s, new BigDecimal(s), mark, true);
      }
      case VALUE_TRUE, VALUE_FALSE -> {
        return new Node.Scalar(mark, Node.Kind.BOOLEAN, p.getText(), null, mark, true);
      }
      default -> {
        return new Node.Scalar(mark, Node.Kind.NULL, "null", null, mark, true);
      }
    }
  }

  private static Mark mark(TokenStreamLocation loc) {
    return new Mark(Math.max(1, loc.getLineNr()), Math.max(1, loc.getColumnNr()));
  }
}
