package io.cvmsim.core.workload;

import io.cvmsim.core.SimulatorException;
import io.cvmsim.core.memory.Gfp;
import io.cvmsim.core.memory.Sizes;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.ToLongFunction;

/**
 * A workload's parameters, read strictly: unknown names, wrong types and values out of range are
 * refused (400) naming the parameter, before anything runs.
 */
public final class WorkloadParams {

  private final Map<String, Object> values;
  private final Map<String, Object> used = new LinkedHashMap<>();

  /** Wraps the parameters as given (names as in the request). */
  public WorkloadParams(Map<String, Object> values) {
    this.values = values == null ? Map.of() : values;
  }

  /** Refuses any parameter not in {@code allowed}. */
  public void allowOnly(Set<String> allowed) {
    for (String k : values.keySet()) {
      if (!allowed.contains(k)) {
        throw SimulatorException.badRequest(
            k, "unknown parameter '" + k + "' (known: " + String.join(", ", allowed) + ")");
      }
    }
  }

  /** Returns an integer parameter (a number, or decimal or 0x-hex text) within [min, max]. */
  public long getLong(String name, long def, long min, long max) {
    long r = read(name, def, Sizes::parseAddress, name + " must be an integer");
    if (r < min || r > max) {
      throw SimulatorException.badRequest(
          name, name + " must be between " + min + " and " + max + ", got " + r);
    }
    used.put(name, r);
    return r;
  }

  /** Returns a size parameter (integer bytes or "4GiB") within [min, max], or {@code def}. */
  public long getBytes(String name, long def, long min, long max) {
    long r = read(name, def, Sizes::parseBytes, name + " must be a size such as 4GiB");
    if (r < min || r > max) {
      throw SimulatorException.badRequest(
          name, name + " must be between " + Sizes.format(min) + " and " + Sizes.format(max));
    }
    used.put(name, r);
    return r;
  }

  private long read(String name, long def, ToLongFunction<String> parse, String typeError) {
    Object v = values.get(name);
    if (v == null) {
      return def;
    }
    if (v instanceof Number n && !(v instanceof Double) && !(v instanceof Float)) {
      return n.longValue();
    }
    if (v instanceof String s) {
      try {
        return parse.applyAsLong(s);
      } catch (IllegalArgumentException e) {
        throw SimulatorException.badRequest(name, name + ": " + e.getMessage());
      }
    }
    throw SimulatorException.badRequest(name, typeError);
  }

  /** Returns a fraction in [min, max], or {@code def}. */
  public double getDouble(String name, double def, double min, double max) {
    Object v = values.get(name);
    double r;
    if (v == null) {
      r = def;
    } else if (v instanceof Number n) {
      r = n.doubleValue();
    } else {
      throw SimulatorException.badRequest(name, name + " must be a number");
    }
    if (!(r >= min && r <= max)) {
      throw SimulatorException.badRequest(
          name, name + " must be between " + min + " and " + max + ", got " + r);
    }
    used.put(name, r);
    return r;
  }

  /** Returns a GFP mask parameter, or {@code def}. */
  public Gfp getGfp(String name, Gfp def) {
    Object v = values.get(name);
    if (v == null) {
      used.put(name, def.toString());
      return def;
    }
    if (!(v instanceof String s)) {
      throw SimulatorException.badRequest(name, name + " must be a GFP name such as GFP_KERNEL");
    }
    try {
      Gfp g = Gfp.ofName(s);
      used.put(name, g.toString());
      return g;
    } catch (IllegalArgumentException e) {
      throw SimulatorException.badRequest(name, e.getMessage());
    }
  }

  /** Returns a string parameter, or {@code def}. */
  public String getString(String name, String def, int maxLength) {
    Object v = values.get(name);
    if (v == null) {
      return def;
    }
    if (!(v instanceof String s)) {
      throw SimulatorException.badRequest(name, name + " must be a string");
    }
    if (s.length() > maxLength) {
      throw SimulatorException.tooLarge(
          name, name + " is longer than " + maxLength + " characters");
    }
    return s;
  }

  /** Returns the parameters as read, with defaults filled in (for the job's record). */
  public Map<String, Object> effective() {
    return Map.copyOf(used);
  }
}
