package io.cvmsim.scenario.doc;

/**
 * A position in a scenario or sweep file, as editors show it.
 *
 * @param line the line, from 1
 * @param column the column, from 1
 */
public record Mark(int line, int column) {

  /** Returns the mark {@code offset} characters further on the same line. */
  public Mark plus(int offset) {
    return new Mark(line, column + offset);
  }

  @Override
  public String toString() {
    return line + ":" + column;
  }
}
