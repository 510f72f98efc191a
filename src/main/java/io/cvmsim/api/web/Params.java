package io.cvmsim.api.web;

import io.cvmsim.core.SimulatorException;
import io.cvmsim.core.memory.Sizes;
import java.util.function.Function;

/**
 * Reads request values with the core's parsers, turning their refusals into 400s naming the field.
 */
public final class Params {

  private Params() {}

  /**
   * Returns {@code parser} applied to {@code value}, or null for a null value.
   *
   * @throws SimulatorException 400 naming {@code field} if the parser refuses the value
   */
  public static <T> T parse(String field, String value, Function<String, T> parser) {
    if (value == null) {
      return null;
    }
    try {
      return parser.apply(value);
    } catch (IllegalArgumentException e) {
      throw SimulatorException.badRequest(field, field + ": " + e.getMessage());
    }
  }

  /** Returns a query parameter read as an address (decimal or 0x hex). */
  public static long address(String field, String value) {
    if (value == null) {
      throw SimulatorException.badRequest(field, field + " is required");
    }
    return parse(field, value, Sizes::parseAddress);
  }

  /** Returns {@code value}, or throws a 400 naming {@code field} if it is null. */
  public static <T> T required(String field, T value) {
    if (value == null) {
      throw SimulatorException.badRequest(field, field + " is required");
    }
    return value;
  }
}
