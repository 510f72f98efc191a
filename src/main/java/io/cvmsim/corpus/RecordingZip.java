package io.cvmsim.corpus;

import io.cvmsim.core.SimulatorException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

/**
 * A recording uploaded as a zip of its directory (made with {@code cd NAME && zip -r ../NAME.zip
 * .}, or with the directory itself as the zip's one top-level folder), held in memory. Reading it
 * checks the archive as hostile input: entry names must be plain relative paths, and the files
 * together may not expand beyond {@code maxBytes} (a decompression bomb stops at the limit).
 */
public final class RecordingZip implements RecordingReader.Files {

  /** The most entries an uploaded recording may have. */
  public static final int MAX_ENTRIES = 512;

  private final Map<String, byte[]> files = new HashMap<>();

  /**
   * Reads a zip.
   *
   * @throws SimulatorException 400 for a damaged zip or a bad entry name, 413 over {@code maxBytes}
   *     or {@link #MAX_ENTRIES}
   */
  public RecordingZip(byte[] zip, long maxBytes) {
    Map<String, byte[]> raw = new HashMap<>();
    long total = 0;
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        if (e.isDirectory()) {
          continue;
        }
        String name = e.getName();
        if (name.startsWith("/") || name.contains("\\") || name.contains("..") || name.isBlank()) {
          throw SimulatorException.badRequest(
              "recording", "the zip holds an entry with a name that is not a plain path: " + name);
        }
        if (raw.size() == MAX_ENTRIES) {
          throw SimulatorException.tooLarge(
              "recording", "the zip holds more than " + MAX_ENTRIES + " files");
        }
        byte[] buf = new byte[8192];
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int n;
        while ((n = in.read(buf)) > 0) {
          total += n;
          if (total > maxBytes) {
            throw SimulatorException.tooLarge(
                "recording", "the zip's files expand beyond " + maxBytes + " bytes");
          }
          out.write(buf, 0, n);
        }
        raw.put(name, out.toByteArray());
      }
    } catch (ZipException e) {
      throw SimulatorException.badRequest(
          "recording", "the body is not a readable zip: " + e.getMessage());
    } catch (IOException e) {
      throw SimulatorException.badRequest("recording", "the zip cannot be read: " + e.getMessage());
    }
    String prefix = commonPrefix(raw);
    for (var f : raw.entrySet()) {
      files.put(f.getKey().substring(prefix.length()), f.getValue());
    }
  }

  /** Returns "NAME/" if every entry lies in one top-level folder that holds recording.json. */
  private static String commonPrefix(Map<String, byte[]> raw) {
    if (raw.containsKey("recording.json")) {
      return "";
    }
    for (String name : raw.keySet()) {
      if (name.endsWith("/recording.json") && name.indexOf('/') == name.length() - 15) {
        String prefix = name.substring(0, name.length() - "recording.json".length());
        for (String other : raw.keySet()) {
          if (!other.startsWith(prefix)) {
            return "";
          }
        }
        return prefix;
      }
    }
    return "";
  }

  @Override
  public byte[] read(String path) {
    return files.get(path);
  }

  @Override
  public InputStream open(String path) {
    byte[] b = files.get(path);
    return b == null ? null : new ByteArrayInputStream(b);
  }
}
