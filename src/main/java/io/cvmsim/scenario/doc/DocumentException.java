package io.cvmsim.scenario.doc;

import java.util.List;

/**
 * A scenario or sweep file that cannot be run, with every problem found (each with its line and
 * column). Thrown before anything runs.
 */
public final class DocumentException extends RuntimeException {

  /** Why the file is refused; the API maps each to an HTTP status. */
  public enum Kind {
    /** Not YAML or JSON at all, or not the expected shape at the top (HTTP 400). */
    SYNTAX,
    /** Well-formed, but fields, names, references or types are wrong (HTTP 422). */
    INVALID,
    /** Valid, but more than the configured limits allow (HTTP 413). */
    OVER_LIMIT
  }

  private static final long serialVersionUID = 1L;

  private final Kind kind;
  private final transient List<Problem> problems;

  /** Creates the exception; {@code problems} must not be empty. */
  public DocumentException(Kind kind, String source, List<Problem> problems) {
    super(summary(source, problems));
    this.kind = kind;
    this.problems = List.copyOf(problems);
  }

  private static String summary(String source, List<Problem> problems) {
    StringBuilder b = new StringBuilder();
    b.append(source)
        .append(" has ")
        .append(problems.size())
        .append(problems.size() == 1 ? " problem" : " problems");
    if (!problems.isEmpty()) {
      Problem p = problems.get(0);
      b.append("; the first at ").append(p);
    }
    return b.toString();
  }

  /** Returns the kind of refusal. */
  public Kind kind() {
    return kind;
  }

  /** Returns every problem, in file order. */
  public List<Problem> problems() {
    return problems;
  }
}
