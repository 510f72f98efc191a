package io.cvmsim.core.snapshot;

import io.cvmsim.core.SimulatorException;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Reads the body of one section as {@link SectionOutput} wrote it, refusing anything that does not
 * fit: a body that ends early or has bytes left over, a varint over 64 bits, a count larger than
 * the bytes left could hold, a string over its bound, a value out of its range. Every refusal is a
 * 400 naming the section ("the snapshot is malformed: section FREE_LISTS: ..."); a reader that
 * finds values which parse but cannot be a guest's state refuses with {@link #impossible} (422).
 * Not thread safe.
 */
public final class SectionInput {

  private final Section section;
  private final ByteArrayInputStream bytes;
  private final DataInputStream in;

  /** Reads {@code section}'s body. */
  public SectionInput(Section section) {
    this.section = section;
    this.bytes = new ByteArrayInputStream(section.body());
    this.in = new DataInputStream(bytes);
  }

  /** Returns the section read. */
  public Section section() {
    return section;
  }

  /** Returns the bytes not read yet. */
  public int remaining() {
    return bytes.available();
  }

  /** Reads one unsigned byte. */
  public int u8() {
    try {
      return in.readUnsignedByte();
    } catch (IOException e) {
      throw endsEarly();
    }
  }

  /** Reads a boolean byte (0 or 1). */
  public boolean bool(String what) {
    int b = u8();
    if (b > 1) {
      throw malformed(what + " is " + b + ", not a boolean (0 or 1)");
    }
    return b == 1;
  }

  /** Reads a big-endian 64-bit number. */
  public long i64() {
    try {
      return in.readLong();
    } catch (IOException e) {
      throw endsEarly();
    }
  }

  /** Reads a 64-bit float. */
  public double f64() {
    return Double.longBitsToDouble(i64());
  }

  /** Reads an unsigned LEB128 varint that must fit in 63 bits (at most 9 bytes). */
  public long uvar() {
    long v = 0;
    for (int i = 0; i < 9; i++) {
      int b = u8();
      v |= (long) (b & 0x7F) << (7 * i);
      if ((b & 0x80) == 0) {
        return v;
      }
    }
    throw malformed("a varint is longer than 63 bits");
  }

  /** Reads a zigzag varint (at most 10 bytes, the last holding one bit). */
  public long svar() {
    long z = 0;
    for (int i = 0; i < 10; i++) {
      int b = u8();
      if (i == 9 && (b & 0xFE) != 0) {
        break;
      }
      z |= (long) (b & 0x7F) << (7 * i);
      if ((b & 0x80) == 0) {
        return (z >>> 1) ^ -(z & 1);
      }
    }
    throw malformed("a signed varint is longer than 64 bits");
  }

  /** Reads an unsigned varint within {@code [min, max]}. */
  public long uvar(String what, long min, long max) {
    return check(what, uvar(), min, max);
  }

  /** Reads a zigzag varint within {@code [min, max]}. */
  public long svar(String what, long min, long max) {
    return check(what, svar(), min, max);
  }

  /** Reads a 64-bit number within {@code [min, max]}. */
  public long i64(String what, long min, long max) {
    return check(what, i64(), min, max);
  }

  /**
   * Reads a count of items each taking at least {@code minBytesEach} bytes: a count the bytes left
   * cannot hold is refused before anything is allocated for it.
   */
  public int count(String what, int minBytesEach) {
    long n = uvar();
    if (n > remaining() / Math.max(1, minBytesEach)) {
      throw malformed(
          what + ": " + n + " items cannot fit in the " + remaining() + " bytes left of it");
    }
    return (int) n;
  }

  /** Reads a string of at most {@code maxBytes} UTF-8 bytes. */
  public String str(String what, int maxBytes) {
    long n = uvar();
    if (n > maxBytes) {
      throw malformed(what + " is " + n + " bytes long, at most " + maxBytes + " are allowed");
    }
    if (n > remaining()) {
      throw endsEarly();
    }
    byte[] b = new byte[(int) n];
    try {
      in.readFully(b);
    } catch (IOException e) {
      throw endsEarly();
    }
    return new String(b, StandardCharsets.UTF_8);
  }

  /** Reads a string that may be null. */
  public String optStr(String what, int maxBytes) {
    return bool(what + " presence") ? str(what, maxBytes) : null;
  }

  /** Reads a number that may be null, within {@code [min, max]} when present. */
  public Long optLong(String what, long min, long max) {
    return bool(what + " presence") ? svar(what, min, max) : null;
  }

  /** Reads an enum constant written by name. */
  public <E extends Enum<E>> E enumByName(String what, Class<E> type) {
    String name = str(what, 64);
    for (E e : type.getEnumConstants()) {
      if (e.name().equals(name)) {
        return e;
      }
    }
    throw malformed(
        what + " is '" + name + "', not one of " + type.getSimpleName().toLowerCase(Locale.ROOT));
  }

  /** Refuses a body with bytes left over once its reader is done. */
  public void end() {
    if (remaining() != 0) {
      throw malformed(remaining() + " bytes are left over after its last field");
    }
  }

  /** Returns a 400 refusal naming this section. */
  public SimulatorException malformed(String message) {
    return SnapshotFormat.malformed("section " + section.name() + ": " + message);
  }

  /** Returns a 422 refusal naming this section: the values parse but cannot be a guest's state. */
  public SimulatorException impossible(String message) {
    return SnapshotFormat.impossible("section " + section.name() + ": " + message);
  }

  private SimulatorException endsEarly() {
    return malformed("it ends before its last field");
  }

  private long check(String what, long v, long min, long max) {
    if (v < min || v > max) {
      throw malformed(what + " is " + v + ", outside [" + min + ", " + max + "]");
    }
    return v;
  }
}
