package io.cvmsim.scenario.doc;

/**
 * One thing wrong with a file.
 *
 * @param line the line, from 1
 * @param column the column, from 1
 * @param path where in the document's structure, e.g. {@code steps[2].allocate.order}, or empty for
 *     the whole document
 * @param message what is wrong, in words
 */
public record Problem(int line, int column, String path, String message) {

  /** Returns "line:column: path: message", the form logs and terminals show. */
  @Override
  public String toString() {
    return line + ":" + column + ": " + (path.isEmpty() ? "" : path + ": ") + message;
  }
}
