package io.cvmsim.scenario.expr;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads expectations and measures (docs/SCENARIOS.md has the grammar) and checks their dimensions.
 * A hand-written recursive-descent parser over the characters, so that every error names the
 * character it is at:
 *
 * <pre>
 * expectation := sum compare sum                  compare := == | != | &lt; | &lt;= | &gt; | &gt;=
 * measure     := sum
 * sum         := product (('+' | '-') product)*
 * product     := unary (('*' | '/') unary)*
 * unary       := '-' unary | NUMBER '%' 'of' unary | primary
 * primary     := NUMBER [unit] | NUMBER '%' | function '(' sum (',' sum)* ')' | '(' sum ')'
 *              | reference
 * reference   := name [(vm)] ('.' name [(vm)])* ['[' INTEGER ']'] [(vm)]
 * </pre>
 */
public final class ExprParser {

  private static final Map<String, BigDecimal> BYTE_UNITS =
      Map.of(
          "B", BigDecimal.ONE,
          "kB", BigDecimal.valueOf(1L << 10),
          "KiB", BigDecimal.valueOf(1L << 10),
          "MiB", BigDecimal.valueOf(1L << 20),
          "GiB", BigDecimal.valueOf(1L << 30),
          "TiB", BigDecimal.valueOf(1L << 40),
          "PiB", BigDecimal.valueOf(1L << 50));

  private static final Map<String, BigDecimal> TIME_UNITS =
      Map.of(
          "ns", new BigDecimal("1E-9"),
          "us", new BigDecimal("1E-6"),
          "ms", new BigDecimal("1E-3"),
          "s", BigDecimal.ONE);

  private static final Set<String> FUNCTIONS = Set.of("abs", "min", "max");

  private static final int MAX_LENGTH = 1000;
  private static final int MAX_DEPTH = 32;

  private final String text;
  private final Scope scope;
  private int pos;
  private int depth;

  private ExprParser(String text, Scope scope) {
    this.text = text;
    this.scope = scope;
  }

  /**
   * Returns the expectation {@code text}: two values and a comparison.
   *
   * @throws ExprException at the first problem
   */
  public static Comparison comparison(String text, Scope scope) {
    ExprParser p = new ExprParser(check(text), scope);
    Expr left = p.sum();
    p.skipSpace();
    int opAt = p.pos;
    String op = p.comparator();
    if (op == null) {
      throw new ExprException(
          opAt,
          p.atEnd()
              ? "an expectation needs a comparison (==, !=, <, <=, >, >=) and a second value"
              : "expected a comparison (==, !=, <, <=, >, >=) here, found '" + p.rest() + "'");
    }
    Expr right = p.sum();
    p.end();
    checkComparable(left, right, op, opAt);
    return new Comparison(text, left, op, right);
  }

  /**
   * Returns the measure {@code text}: one value, not a comparison and not recorded views.
   *
   * @throws ExprException at the first problem
   */
  public static Expr value(String text, Scope scope) {
    ExprParser p = new ExprParser(check(text), scope);
    Expr e = p.sum();
    p.end();
    if (e.dim() == Dim.VIEWS) {
      throw new ExprException(0, "a measure must be a number, not recorded views");
    }
    return e;
  }

  private static String check(String text) {
    if (text == null || text.isBlank()) {
      throw new ExprException(0, "the expression is empty");
    }
    if (text.length() > MAX_LENGTH) {
      throw new ExprException(MAX_LENGTH, "the expression is longer than " + MAX_LENGTH);
    }
    return text;
  }

  private static void checkComparable(Expr left, Expr right, String op, int at) {
    if (left.dim() == Dim.VIEWS || right.dim() == Dim.VIEWS) {
      if (left.dim() != right.dim()) {
        throw new ExprException(
            at,
            "recorded views compare only with recorded views, not with "
                + (left.dim() == Dim.VIEWS ? right : left).dim().words());
      }
      if (!op.equals("==") && !op.equals("!=")) {
        throw new ExprException(at, "recorded views compare only with == or !=, not " + op);
      }
      return;
    }
    same(left, right, at, "compare");
  }

  /** Returns the dimension two operands share, or throws naming both. */
  private static Dim same(Expr a, Expr b, int at, String verb) {
    if (a.dim() == b.dim()) {
      return a.dim();
    }
    if (a instanceof Expr.Literal l && l.anyDim()) {
      return b.dim();
    }
    if (b instanceof Expr.Literal l && l.anyDim()) {
      return a.dim();
    }
    String hint = "";
    Expr plain = a.dim() == Dim.NUMBER ? a : b.dim() == Dim.NUMBER ? b : null;
    Dim other = plain == a ? b.dim() : a.dim();
    if (plain instanceof Expr.Literal) {
      hint =
          other == Dim.BYTES
              ? "; give the number a unit (B, KiB, MiB, GiB, TiB, PiB)"
              : other == Dim.SECONDS ? "; give the number a unit (ns, us, ms, s)" : "";
    }
    throw new ExprException(
        at, "cannot " + verb + " " + a.dim().words() + " with " + b.dim().words() + hint);
  }

  // ------------------------------------------------------------------ grammar

  private Expr sum() {
    Expr e = product();
    while (true) {
      skipSpace();
      char c = peek();
      if (c != '+' && c != '-') {
        return e;
      }
      int at = pos++;
      Expr r = product();
      noViews(e, at);
      noViews(r, at);
      Dim d = same(e, r, at, c == '+' ? "add" : "subtract");
      e = new Expr.Binary(c, e, r, d, at);
    }
  }

  private Expr product() {
    Expr e = unary();
    while (true) {
      skipSpace();
      char c = peek();
      if (c != '*' && c != '/') {
        return e;
      }
      int at = pos++;
      Expr r = unary();
      noViews(e, at);
      noViews(r, at);
      e = new Expr.Binary(c, e, r, c == '*' ? times(e, r, at) : divided(e, r, at), at);
    }
  }

  private static Dim times(Expr a, Expr b, int at) {
    if (a.dim() == Dim.NUMBER) {
      return b.dim();
    }
    if (b.dim() == Dim.NUMBER) {
      return a.dim();
    }
    throw new ExprException(
        at, "cannot multiply " + a.dim().words() + " by " + b.dim().words() + " (no such unit)");
  }

  private static Dim divided(Expr a, Expr b, int at) {
    if (a.dim() == b.dim()) {
      return Dim.NUMBER;
    }
    if (b.dim() == Dim.NUMBER) {
      return a.dim();
    }
    throw new ExprException(
        at, "cannot divide " + a.dim().words() + " by " + b.dim().words() + " (no such unit)");
  }

  private static void noViews(Expr e, int at) {
    if (e.dim() == Dim.VIEWS) {
      throw new ExprException(at, "recorded views cannot take part in arithmetic");
    }
  }

  private Expr unary() {
    if (++depth > MAX_DEPTH) {
      throw new ExprException(pos, "the expression is nested too deeply");
    }
    try {
      skipSpace();
      int at = pos;
      if (peek() == '-') {
        pos++;
        Expr e = unary();
        noViews(e, at);
        return new Expr.Neg(e, at);
      }
      if (Character.isDigit(peek()) || peek() == '.') {
        return number();
      }
      return primary();
    } finally {
      depth--;
    }
  }

  private Expr number() {
    int at = pos;
    while (Character.isDigit(peek())) {
      pos++;
    }
    if (peek() == '.') {
      pos++;
      while (Character.isDigit(peek())) {
        pos++;
      }
    }
    String digits = text.substring(at, pos);
    BigDecimal v;
    try {
      v = new BigDecimal(digits);
    } catch (NumberFormatException e) {
      throw new ExprException(at, "'" + digits + "' is not a number");
    }
    if (peek() == '%') {
      pos++;
      BigDecimal fraction = v.movePointLeft(2);
      int save = pos;
      skipSpace();
      if (word().equals("of")) {
        Expr of = unary();
        noViews(of, save);
        return new Expr.Binary(
            '*', new Expr.Literal(fraction, Dim.NUMBER, false, at), of, of.dim(), at);
      }
      pos = save;
      return new Expr.Literal(fraction, Dim.NUMBER, false, at);
    }
    int save = pos;
    skipSpace();
    int unitAt = pos;
    String unit = word();
    if (BYTE_UNITS.containsKey(unit)) {
      return new Expr.Literal(v.multiply(BYTE_UNITS.get(unit)), Dim.BYTES, false, at);
    }
    if (TIME_UNITS.containsKey(unit)) {
      return new Expr.Literal(v.multiply(TIME_UNITS.get(unit)), Dim.SECONDS, false, at);
    }
    if (!unit.isEmpty() && unitAt == save) {
      throw new ExprException(
          unitAt,
          "unknown unit '"
              + unit
              + "' (bytes: B, KiB, MiB, GiB, TiB, PiB, kB; time: ns, us, ms, s)");
    }
    pos = save;
    return new Expr.Literal(v, Dim.NUMBER, v.signum() == 0, at);
  }

  private Expr primary() {
    skipSpace();
    int at = pos;
    char c = peek();
    if (c == '(') {
      pos++;
      Expr e = sum();
      expect(')');
      return e;
    }
    if (!isNameStart(c)) {
      throw new ExprException(
          at,
          atEnd()
              ? "a value is missing at the end"
              : "expected a number, a name or '(' here, found '" + c + "'");
    }
    String name = name();
    if (FUNCTIONS.contains(name) && peekAfterSpace() == '(') {
      return call(name, at);
    }
    return reference(name, at);
  }

  private Expr call(String name, int at) {
    skipSpace();
    expect('(');
    List<Expr> args = new ArrayList<>();
    args.add(sum());
    skipSpace();
    while (peek() == ',') {
      pos++;
      args.add(sum());
      skipSpace();
    }
    expect(')');
    if (name.equals("abs") && args.size() != 1) {
      throw new ExprException(at, "abs takes one value");
    }
    if (!name.equals("abs") && args.size() < 2) {
      throw new ExprException(at, name + " takes two or more values");
    }
    Expr typed = args.get(0);
    for (Expr a : args) {
      noViews(a, a.offset());
      if (!(a instanceof Expr.Literal l && l.anyDim())) {
        typed = a;
      }
    }
    for (Expr a : args) {
      same(typed, a, a.offset(), "mix");
    }
    Dim result = typed.dim();
    return new Expr.Call(name, List.copyOf(args), result, at);
  }

  private Expr reference(String first, int at) {
    List<RefSyntax.Segment> segments = new ArrayList<>();
    segments.add(segment(first, at));
    while (peek() == '.') {
      pos++;
      int s = pos;
      if (!isNameStart(peek())) {
        throw new ExprException(s, "expected a name after '.'");
      }
      segments.add(segment(name(), s));
    }
    Integer index = null;
    int indexAt = pos;
    if (peek() == '[') {
      pos++;
      indexAt = pos;
      while (Character.isDigit(peek())) {
        pos++;
      }
      if (pos == indexAt || pos - indexAt > 9) {
        throw new ExprException(indexAt, "expected an order such as [10]");
      }
      index = Integer.parseInt(text.substring(indexAt, pos));
      expect(']');
    }
    RefSyntax.Segment trailing = null;
    if (peek() == '(') {
      trailing = segment("", pos);
      if (trailing.paren() == null) {
        trailing = null;
      }
    }
    RefSyntax ref =
        new RefSyntax(text.substring(at, pos), at, List.copyOf(segments), index, indexAt, trailing);
    return new Expr.Ref(ref.text(), scope.resolve(ref), at);
  }

  /** Reads an optional "(name)" after a name. */
  private RefSyntax.Segment segment(String name, int at) {
    if (peek() != '(') {
      return new RefSyntax.Segment(name, at, null, -1);
    }
    pos++;
    int s = pos;
    while (isVmChar(peek())) {
      pos++;
    }
    if (pos == s) {
      throw new ExprException(s, "expected a VM name in parentheses");
    }
    String paren = text.substring(s, pos);
    expect(')');
    return new RefSyntax.Segment(name, at, paren, s);
  }

  // ------------------------------------------------------------------ characters

  private String comparator() {
    for (String op : new String[] {"==", "!=", "<=", ">=", "<", ">"}) {
      if (text.startsWith(op, pos)) {
        pos += op.length();
        return op;
      }
    }
    return null;
  }

  private String name() {
    int s = pos;
    while (isNamePart(peek())) {
      pos++;
    }
    return text.substring(s, pos);
  }

  private String word() {
    int s = pos;
    while (Character.isLetter(peek())) {
      pos++;
    }
    return text.substring(s, pos);
  }

  private void expect(char c) {
    skipSpace();
    if (peek() != c) {
      throw new ExprException(
          pos,
          "expected '"
              + c
              + "' here"
              + (atEnd() ? " (the expression ends)" : ", found '" + peek() + "'"));
    }
    pos++;
  }

  private void end() {
    skipSpace();
    if (!atEnd()) {
      throw new ExprException(pos, "unexpected '" + rest() + "'");
    }
  }

  private String rest() {
    String r = text.substring(pos);
    return r.length() > 20 ? r.substring(0, 20) + "..." : r;
  }

  private void skipSpace() {
    while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
      pos++;
    }
  }

  private char peekAfterSpace() {
    int p = pos;
    while (p < text.length() && Character.isWhitespace(text.charAt(p))) {
      p++;
    }
    return p < text.length() ? text.charAt(p) : '\0';
  }

  private boolean atEnd() {
    return pos >= text.length();
  }

  private char peek() {
    return pos < text.length() ? text.charAt(pos) : '\0';
  }

  private static boolean isNameStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  }

  private static boolean isNamePart(char c) {
    return isNameStart(c) || (c >= '0' && c <= '9');
  }

  private static boolean isVmChar(char c) {
    return isNamePart(c) || c == '-';
  }
}
