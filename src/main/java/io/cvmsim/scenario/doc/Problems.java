package io.cvmsim.scenario.doc;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Collects the problems of one file while it is read, so that all of them are reported at once;
 * {@link #throwIfAny} ends the reading with a {@link DocumentException}.
 */
public final class Problems {

  /** The most problems reported for one file; more are summarised in one last line. */
  public static final int MAX = 100;

  private final String source;
  private final List<Problem> problems = new ArrayList<>();
  private int dropped;
  private boolean overLimitOnly = true;

  /** Creates an empty collection for the file named {@code source} (for messages). */
  public Problems(String source) {
    this.source = source;
  }

  /** Returns the file's name as messages show it. */
  public String source() {
    return source;
  }

  /** Records a problem at {@code mark}. */
  public void add(Mark mark, String path, String message) {
    add(mark, path, message, false);
  }

  /** Records that the file asks for more than a configured limit allows. */
  public void overLimit(Mark mark, String path, String message) {
    add(mark, path, message, true);
  }

  private void add(Mark mark, String path, String message, boolean overLimit) {
    overLimitOnly &= overLimit;
    if (problems.size() >= MAX) {
      dropped++;
      return;
    }
    problems.add(new Problem(mark.line(), mark.column(), path == null ? "" : path, message));
  }

  /** Returns how many problems were recorded. */
  public int count() {
    return problems.size() + dropped;
  }

  /** Returns whether any problem was recorded. */
  public boolean any() {
    return !problems.isEmpty();
  }

  /** Returns the problems so far, in file order. */
  public List<Problem> list() {
    List<Problem> out = new ArrayList<>(problems);
    out.sort(Comparator.comparingInt(Problem::line).thenComparingInt(Problem::column));
    if (dropped > 0) {
      Problem last = out.get(out.size() - 1);
      out.add(
          new Problem(
              last.line(), last.column(), "", "and " + dropped + " more problems not listed"));
    }
    return out;
  }

  /**
   * Throws a {@link DocumentException} with every problem if there is any: {@code OVER_LIMIT} when
   * every problem is a limit, else {@code INVALID}.
   */
  public void throwIfAny() {
    if (any()) {
      throw new DocumentException(
          overLimitOnly ? DocumentException.Kind.OVER_LIMIT : DocumentException.Kind.INVALID,
          source,
          list());
    }
  }
}
