package io.cvmsim.api.web;

import com.fasterxml.jackson.annotation.JsonCreator;
import io.cvmsim.core.memory.Sizes;
import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * A byte count in a request: a JSON integer, a hex string ({@code "0x100000000"}) or a string with
 * a binary suffix ({@code "4GiB"}, {@code "512MiB"}). The OpenAPI document describes it as integer
 * or string (see {@link ValueTypeSchemas}).
 *
 * @param bytes the count
 */
public record SizeValue(long bytes) {

  /** Returns the size a JSON value gives; a bad one is an {@link IllegalArgumentException}. */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static SizeValue of(Object value) {
    if (value instanceof String s) {
      return new SizeValue(Sizes.parseBytes(s));
    }
    return new SizeValue(nonNegative(value, "an integer or a size such as \"4GiB\""));
  }

  /** Returns a JSON integer as a non-negative long, or throws naming what was expected. */
  static long nonNegative(Object value, String expected) {
    if (value instanceof Integer || value instanceof Long) {
      long v = ((Number) value).longValue();
      if (v < 0) {
        throw new IllegalArgumentException("must not be negative, got " + v);
      }
      return v;
    }
    if (value instanceof BigInteger) {
      throw new IllegalArgumentException(value + " is too large (at most 2^63 - 1)");
    }
    if (value instanceof Double || value instanceof Float || value instanceof BigDecimal) {
      throw new IllegalArgumentException("must be an integer, got " + value);
    }
    throw new IllegalArgumentException("must be " + expected);
  }
}
