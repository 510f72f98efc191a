package io.cvmsim.scenario.expr;

import java.util.List;

/**
 * A reference as written, before a {@link Scope} gives it a meaning: dotted segments, each possibly
 * followed by a parenthesised name (a VM, or part of a field such as {@code Active(anon)}), then an
 * optional {@code [index]} and an optional trailing {@code (vm)}.
 *
 * @param text the reference's text
 * @param offset where it starts
 * @param segments the dotted names
 * @param index the {@code [n]} value, or null
 * @param indexOffset where the index stands
 * @param trailing a {@code (name)} after the index, or null
 */
public record RefSyntax(
    String text,
    int offset,
    List<Segment> segments,
    Integer index,
    int indexOffset,
    Segment trailing) {

  /**
   * One dotted name.
   *
   * @param name the name
   * @param offset where it stands
   * @param paren the name in parentheses right after it, or null
   * @param parenOffset where that stands
   */
  public record Segment(String name, int offset, String paren, int parenOffset) {}
}
