package io.cvmsim.api.web;

import com.fasterxml.jackson.annotation.JsonCreator;
import io.cvmsim.core.memory.Sizes;

/**
 * A physical address in a request: a JSON integer or a decimal or hex string ({@code
 * "0x100000000"}). The OpenAPI document describes it as integer or string.
 *
 * @param value the address
 */
public record AddressValue(long value) {

  /** Returns the address a JSON value gives; a bad one is an {@link IllegalArgumentException}. */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static AddressValue of(Object value) {
    if (value instanceof String s) {
      return new AddressValue(Sizes.parseAddress(s));
    }
    return new AddressValue(SizeValue.nonNegative(value, "an integer or a hex string"));
  }
}
