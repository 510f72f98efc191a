package io.cvmsim.core.vm;

import java.util.Locale;

/** The kernel's {@code accept_memory=} parameter. */
public enum AcceptPolicy {
  /** Park unaccepted memory and accept it on demand (the default). */
  LAZY,
  /** Accept everything while handing memory to the page allocator. */
  EAGER;

  /** Returns the policy with this name (case-insensitive). */
  public static AcceptPolicy ofName(String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown acceptPolicy '" + name + "' (use LAZY or EAGER)");
    }
  }
}
