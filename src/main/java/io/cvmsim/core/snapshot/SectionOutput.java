package io.cvmsim.core.snapshot;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes the body of one section: fixed-width big-endian numbers ({@link DataOutputStream}),
 * unsigned LEB128 varints, zigzag varints for signed deltas, and strings as a varint length and
 * UTF-8. Not thread safe.
 */
public final class SectionOutput {

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
  private final DataOutputStream out = new DataOutputStream(bytes);
  private final byte[] varint = new byte[10];

  /** Writes one byte. */
  public SectionOutput u8(int v) {
    try {
      out.writeByte(v);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /** Writes a boolean as one byte, 0 or 1. */
  public SectionOutput bool(boolean v) {
    return u8(v ? 1 : 0);
  }

  /** Writes a big-endian 64-bit number. */
  public SectionOutput i64(long v) {
    try {
      out.writeLong(v);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /** Writes a 64-bit float (its IEEE 754 bits, big-endian). */
  public SectionOutput f64(double v) {
    return i64(Double.doubleToLongBits(v));
  }

  /** Writes a non-negative number as an unsigned LEB128 varint (1 to 9 bytes). */
  public SectionOutput uvar(long v) {
    if (v < 0) {
      throw new IllegalArgumentException("uvar of a negative number: " + v);
    }
    int n = 0;
    while ((v & ~0x7FL) != 0) {
      varint[n++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    varint[n++] = (byte) v;
    bytes.write(varint, 0, n);
    return this;
  }

  /** Writes any number as a zigzag varint: small magnitudes of either sign are short. */
  public SectionOutput svar(long v) {
    long z = (v << 1) ^ (v >> 63);
    int n = 0;
    while ((z & ~0x7FL) != 0) {
      varint[n++] = (byte) ((z & 0x7F) | 0x80);
      z >>>= 7;
    }
    varint[n++] = (byte) z;
    bytes.write(varint, 0, n);
    return this;
  }

  /** Writes a string: its UTF-8 length as a varint, then the bytes. */
  public SectionOutput str(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    uvar(b.length);
    bytes.write(b, 0, b.length);
    return this;
  }

  /** Writes a string that may be null: a presence byte, then the string. */
  public SectionOutput optStr(String s) {
    bool(s != null);
    return s == null ? this : str(s);
  }

  /** Writes a number that may be null: a presence byte, then the number as a zigzag varint. */
  public SectionOutput optLong(Long v) {
    bool(v != null);
    return v == null ? this : svar(v);
  }

  /** Returns the section with what was written. */
  public Section toSection(SectionId id, int version) {
    return new Section(id.id(), version, bytes.toByteArray());
  }

  /** Returns the bytes written so far. */
  public int size() {
    return bytes.size();
  }
}
