package io.cvmsim.core.snapshot;

import io.cvmsim.core.SimulatorException;
import io.cvmsim.core.memory.Sizes;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The snapshot container, format version 1 (docs/SNAPSHOT.md): a 32-byte header, then the payload
 * compressed as one zlib stream (RFC 1950, {@link Deflater}). The header:
 *
 * <pre>
 *  0  8  magic "CVMSNAP\0"
 *  8  2  format version (1)              - bytes 0..9 stay as they are in every version
 * 10  2  compression (1 = zlib)
 * 12  8  payload bytes, inflated
 * 20  4  CRC-32 of the inflated payload
 * 24  4  CRC-32 of the compressed payload (every byte after the header)
 * 28  4  CRC-32 of bytes 0..27
 * </pre>
 *
 * The payload is a sequence of sections, each {@code u16 id, u16 version, u32 length, body}, in
 * ascending id order, ending with the empty {@link SectionId#END} section. Numbers are big-endian.
 *
 * <p>Reading checks the whole container before any section is parsed: the magic, the version (an
 * unknown one is refused naming it), the header's checksum, the declared payload size against the
 * configured limit (before inflating anything), the inflated size against the declared one (while
 * inflating: memory follows what really inflates, never more than declared), the payload's
 * checksum, and the section framing. Every refusal is a 4xx {@link SimulatorException}.
 */
public final class SnapshotFormat {

  /** The media type of a snapshot. */
  public static final String MEDIA_TYPE = "application/vnd.cvmsim.snapshot.v1+deflate";

  /** The format version this code writes and reads. */
  public static final int VERSION = 1;

  /** The bytes of the header. */
  public static final int HEADER_BYTES = 32;

  /** The file name extension the service uses for snapshots. */
  public static final String EXTENSION = ".cvmsnap";

  static final byte[] MAGIC = {'C', 'V', 'M', 'S', 'N', 'A', 'P', 0};
  private static final int ZLIB = 1;
  private static final int SECTION_HEADER_BYTES = 8;

  private SnapshotFormat() {}

  /** Returns the snapshot of these sections ({@link SectionId#END} is added). */
  public static byte[] encode(List<Section> sections) {
    ByteArrayOutputStream payload = new ByteArrayOutputStream(4096);
    try {
      DataOutputStream out = new DataOutputStream(payload);
      for (Section s : sections) {
        writeSection(out, s.id(), s.version(), s.body());
      }
      writeSection(out, SectionId.END.id(), 0, new byte[0]);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    byte[] raw = payload.toByteArray();
    CRC32 crc = new CRC32();
    crc.update(raw);
    ByteArrayOutputStream file = new ByteArrayOutputStream(HEADER_BYTES + raw.length / 4);
    try {
      DataOutputStream out = new DataOutputStream(file);
      out.write(MAGIC);
      out.writeShort(VERSION);
      out.writeShort(ZLIB);
      out.writeLong(raw.length);
      byte[] compressed = deflate(raw);
      CRC32 compressedCrc = new CRC32();
      compressedCrc.update(compressed);
      out.writeInt((int) crc.getValue());
      out.writeInt((int) compressedCrc.getValue());
      out.flush();
      CRC32 headerCrc = new CRC32();
      headerCrc.update(file.toByteArray());
      out.writeInt((int) headerCrc.getValue());
      out.write(compressed);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file.toByteArray();
  }

  private static byte[] deflate(byte[] raw) {
    Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION);
    try {
      deflater.setInput(raw);
      deflater.finish();
      ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length / 4 + 64);
      byte[] buf = new byte[64 * 1024];
      while (!deflater.finished()) {
        int n = deflater.deflate(buf);
        out.write(buf, 0, n);
      }
      return out.toByteArray();
    } finally {
      deflater.end();
    }
  }

  private static void writeSection(DataOutputStream out, int id, int version, byte[] body)
      throws IOException {
    out.writeShort(id);
    out.writeShort(version);
    out.writeInt(body.length);
    out.write(body);
  }

  /**
   * Returns the format version a snapshot says it has, or -1 if it is too short or not a snapshot.
   */
  public static int version(byte[] snapshot) {
    if (snapshot.length < MAGIC.length + 2
        || !Arrays.equals(Arrays.copyOf(snapshot, MAGIC.length), MAGIC)) {
      return -1;
    }
    return ((snapshot[8] & 0xFF) << 8) | (snapshot[9] & 0xFF);
  }

  /**
   * Checks a snapshot's container and returns its sections, END excluded.
   *
   * @param maxPayloadBytes the most bytes the payload may inflate to (checked before inflating)
   * @throws SimulatorException 400 for anything malformed, truncated or corrupted, or an unknown
   *     version; 413 for a payload over {@code maxPayloadBytes}
   */
  public static List<Section> decode(byte[] snapshot, long maxPayloadBytes) {
    int version = version(snapshot);
    if (version < 0) {
      throw malformed(
          "it does not start with the snapshot magic CVMSNAP (it is "
              + snapshot.length
              + " bytes of something else, or cut short)");
    }
    if (version != VERSION) {
      throw SimulatorException.badRequest(
          "snapshot",
          "the snapshot has format version "
              + version
              + ", which this service cannot read: it reads version "
              + VERSION
              + " ("
              + MEDIA_TYPE
              + ")");
    }
    if (snapshot.length < HEADER_BYTES) {
      throw malformed(
          "it is "
              + snapshot.length
              + " bytes long, shorter than its "
              + HEADER_BYTES
              + "-byte header");
    }
    DataInputStream header = new DataInputStream(new ByteArrayInputStream(snapshot));
    int compression;
    long payloadBytes;
    int payloadCrc;
    int compressedCrc;
    int headerCrc;
    try {
      header.skipNBytes(10);
      compression = header.readUnsignedShort();
      payloadBytes = header.readLong();
      payloadCrc = header.readInt();
      compressedCrc = header.readInt();
      headerCrc = header.readInt();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    CRC32 crc = new CRC32();
    crc.update(snapshot, 0, HEADER_BYTES - 4);
    if ((int) crc.getValue() != headerCrc) {
      throw malformed("its header is corrupted (the header checksum does not match)");
    }
    if (compression != ZLIB) {
      throw malformed(
          "its header names compression " + compression + "; version 1 has 1 (zlib) only");
    }
    if (payloadBytes > maxPayloadBytes) {
      throw SimulatorException.tooLarge(
          "snapshot",
          "the snapshot inflates to "
              + Sizes.format(payloadBytes)
              + ", over the configured limit cvmsim.limits.max-snapshot-bytes ("
              + Sizes.format(maxPayloadBytes)
              + ")");
    }
    if (payloadBytes < SECTION_HEADER_BYTES || payloadBytes > Integer.MAX_VALUE - 8) {
      throw malformed("its header declares a payload of " + payloadBytes + " bytes");
    }
    crc.reset();
    crc.update(snapshot, HEADER_BYTES, snapshot.length - HEADER_BYTES);
    if ((int) crc.getValue() != compressedCrc) {
      throw malformed(
          "it is truncated or corrupted (the checksum of its compressed payload does not match)");
    }
    byte[] payload = inflate(snapshot, (int) payloadBytes);
    crc.reset();
    crc.update(payload);
    if ((int) crc.getValue() != payloadCrc) {
      throw malformed("its payload is corrupted (the payload checksum does not match)");
    }
    return sections(payload);
  }

  private static byte[] inflate(byte[] snapshot, int declared) {
    Inflater inflater = new Inflater();
    try {
      inflater.setInput(snapshot, HEADER_BYTES, snapshot.length - HEADER_BYTES);
      byte[] out = new byte[Math.min(declared, 1 << 20)];
      int n = 0;
      while (!inflater.finished()) {
        if (n == declared) {
          byte[] probe = new byte[1];
          if (inflater.inflate(probe) > 0) {
            throw malformed(
                "its payload inflates to more than the " + declared + " bytes declared");
          }
          if (inflater.finished()) {
            break;
          }
          if (inflater.needsInput() || inflater.needsDictionary()) {
            throw malformed("it is truncated: its compressed payload ends early");
          }
          continue;
        }
        if (n == out.length) {
          out = Arrays.copyOf(out, (int) Math.min(declared, (long) out.length * 2));
        }
        int got = inflater.inflate(out, n, out.length - n);
        n += got;
        if (got == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          throw malformed("it is truncated: its compressed payload ends early");
        }
      }
      if (n != declared) {
        throw malformed(
            "its payload inflates to " + n + " bytes, but its header declares " + declared);
      }
      if (inflater.getRemaining() != 0) {
        throw malformed(inflater.getRemaining() + " bytes follow its compressed payload");
      }
      return out;
    } catch (DataFormatException e) {
      throw malformed("its compressed payload is corrupted (" + e.getMessage() + ")");
    } finally {
      inflater.end();
    }
  }

  private static List<Section> sections(byte[] payload) {
    List<Section> out = new ArrayList<>();
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload));
    int at = 0;
    int lastId = -1;
    try {
      while (true) {
        if (payload.length - at < SECTION_HEADER_BYTES) {
          throw malformed("its payload ends without the END section");
        }
        int id = in.readUnsignedShort();
        int version = in.readUnsignedShort();
        long length = in.readInt() & 0xFFFFFFFFL;
        at += SECTION_HEADER_BYTES;
        if (length > payload.length - at) {
          throw malformed(
              "section "
                  + SectionId.nameOf(id)
                  + " declares "
                  + length
                  + " bytes, but only "
                  + (payload.length - at)
                  + " follow");
        }
        if (id == SectionId.END.id()) {
          if (length != 0 || at != payload.length) {
            throw malformed("its END section is not empty and last");
          }
          return out;
        }
        if (id <= lastId) {
          throw malformed(
              "section "
                  + SectionId.nameOf(id)
                  + " follows section "
                  + SectionId.nameOf(lastId)
                  + ": sections must appear once each, in ascending id order");
        }
        lastId = id;
        byte[] body = new byte[(int) length];
        in.readFully(body);
        at += (int) length;
        out.add(new Section(id, version, body));
      }
    } catch (IOException e) {
      throw malformed("its payload ends inside a section");
    }
  }

  /** Returns a 400 refusal: the snapshot cannot be read. */
  public static SimulatorException malformed(String message) {
    return SimulatorException.badRequest("snapshot", "the snapshot is malformed: " + message);
  }

  /** Returns a 422 refusal: the snapshot reads, but what it holds cannot be a guest. */
  public static SimulatorException impossible(String message) {
    return SimulatorException.unprocessable(
        "snapshot", "the snapshot describes an impossible guest: " + message);
  }
}
