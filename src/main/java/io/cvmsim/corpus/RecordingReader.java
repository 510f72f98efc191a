package io.cvmsim.corpus;

import io.cvmsim.core.validation.KernelRecording;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tukaani.xz.XZInputStream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads one recording in the recorder's format (tools/kernel-corpus/FORMAT.md, format 1) from
 * wherever its files are (a directory, the classpath, an uploaded zip), checking what the format
 * promises: the format version, the boot files, a snapshot directory for every phase, and an
 * xz-compressed trace for a workload.
 */
public final class RecordingReader {

  /** The files of one recording, by path relative to its directory ("boot/zoneinfo"). */
  public interface Files {
    /** Returns the file's bytes, or null if it does not exist. */
    byte[] read(String path) throws IOException;

    /** Opens the file, or returns null if it does not exist. */
    InputStream open(String path) throws IOException;
  }

  private static final ObjectMapper JSON = JsonMapper.builder().build();

  /** The boot files of format 1. */
  static final List<String> BOOT_FILES =
      List.of(
          "meminfo",
          "zoneinfo",
          "buddyinfo",
          "pagetypeinfo",
          "vmstat",
          "iomem",
          "extfrag_index",
          "unusable_index",
          "min_free_kbytes",
          "watermark_scale_factor",
          "lowmem_reserve_ratio",
          "watermark_boost_factor",
          "thp_enabled",
          "dmesg");

  /** The files of every phase snapshot. */
  static final List<String> PHASE_FILES =
      List.of(
          "meminfo",
          "zoneinfo",
          "buddyinfo",
          "pagetypeinfo",
          "vmstat",
          "extfrag_index",
          "unusable_index");

  private RecordingReader() {}

  /**
   * Reads a recording.
   *
   * @throws IllegalArgumentException naming what is missing or malformed
   */
  public static KernelRecording read(Files files) {
    try {
      byte[] meta = files.read("recording.json");
      if (meta == null) {
        throw new IllegalArgumentException("recording.json is missing");
      }
      JsonNode j = JSON.readTree(meta);
      int format = j.path("format").asInt(-1);
      if (format != 1) {
        throw new IllegalArgumentException(
            "recording.json: format "
                + j.path("format")
                + " is not supported (this reads format 1)");
      }
      String name = text(j, "name");
      JsonNode kernel = j.path("kernel");
      JsonNode guest = j.path("guest");
      Map<String, String> boot =
          readAll(files, "boot/", BOOT_FILES, List.of("extfrag_index", "unusable_index"));
      List<KernelRecording.Phase> phases = new ArrayList<>();
      for (JsonNode p : j.path("phases")) {
        String dir = text(p, "dir");
        if (!dir.matches("phases/\\d\\d-[a-z0-9-]+")) {
          throw new IllegalArgumentException(
              "recording.json: phase dir '" + dir + "' is not phases/NN-name");
        }
        Map<String, Object> params = new LinkedHashMap<>();
        p.path("params")
            .properties()
            .forEach(
                e ->
                    params.put(
                        e.getKey(),
                        e.getValue().isNumber()
                            ? e.getValue().numberValue()
                            : e.getValue().asString()));
        phases.add(
            new KernelRecording.Phase(
                text(p, "name"), params, readAll(files, dir + "/", PHASE_FILES, List.of())));
      }
      Map<String, Long> counts = new LinkedHashMap<>();
      j.path("eventCounts")
          .properties()
          .forEach(e -> counts.put(e.getKey(), e.getValue().asLong()));
      boolean workload = !phases.isEmpty();
      Map<String, String> start =
          workload ? readAll(files, "phases/00-start/", PHASE_FILES, List.of()) : Map.of();
      if (workload) {
        try (InputStream in = files.open("events.xz")) {
          if (in == null) {
            throw new IllegalArgumentException("events.xz is missing");
          }
        }
      }
      KernelRecording.TraceSource trace = workload ? () -> xz(files.open("events.xz")) : null;
      return new KernelRecording(
          name,
          text(kernel, "release"),
          text(kernel, "version"),
          text(kernel, "model"),
          guest.path("memoryBytes").asLong(),
          guest.path("vcpus").asInt(),
          text(guest, "thp"),
          j.path("trace").path("bufferTotalSizeKb").asLong(0),
          boot,
          start,
          phases,
          counts,
          trace);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (tools.jackson.core.JacksonException e) {
      throw new IllegalArgumentException(
          "recording.json is not valid JSON: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * The most memory a trace's xz decompression may need, in KiB: the recorder compresses with a
   * dictionary of at most 32 MiB, so a trace that asks for more is refused (MemoryLimitException)
   * instead of taking the heap.
   */
  static final int XZ_MEMORY_LIMIT_KIB = 64 * 1024;

  private static Reader xz(InputStream in) throws IOException {
    return new InputStreamReader(
        new XZInputStream(in, XZ_MEMORY_LIMIT_KIB), StandardCharsets.UTF_8);
  }

  private static Map<String, String> readAll(
      Files files, String dir, List<String> names, List<String> optional) throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    for (String n : names) {
      byte[] b = files.read(dir + n);
      if (b == null) {
        if (optional.contains(n)) {
          continue;
        }
        throw new IllegalArgumentException(dir + n + " is missing");
      }
      out.put(n, new String(b, StandardCharsets.UTF_8));
    }
    return out;
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.path(field);
    if (!v.isString() || v.asString().isBlank()) {
      throw new IllegalArgumentException(
          "recording.json: '" + field + "' is missing or not a string");
    }
    return v.asString();
  }
}
