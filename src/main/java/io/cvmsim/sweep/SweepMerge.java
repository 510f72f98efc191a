package io.cvmsim.sweep;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Joins the shard files of one sweep into the table one process would have written. It checks first
 * that the directory holds the shards of exactly one sweep and shard count, that every shard 0..N-1
 * is there in both formats, that all come from the same file (SHA-256), cvmsim version and columns,
 * and that each shard holds exactly its configurations (k mod N = its index) in order; anything
 * else is a {@link MergeException} naming the shard and what is wrong, and nothing is written. The
 * rows are held in memory while merging.
 */
public final class SweepMerge {

  private static final Pattern SHARD_FILE =
      Pattern.compile("(.+)\\.shard-(\\d+)-of-(\\d+)\\.(csv|jsonl)");
  private static final Pattern ROW_INDEX = Pattern.compile("\\{\"index\":(\\d+),.*");
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** Shards that cannot be merged. */
  public static final class MergeException extends Exception {
    private static final long serialVersionUID = 1L;

    MergeException(String message) {
      super(message);
    }
  }

  /**
   * What a merge wrote.
   *
   * @param sweep the sweep's name
   * @param shards the number of shards merged
   * @param rows the rows written
   * @param csv the CSV table
   * @param jsonl the JSON lines table
   */
  public record Summary(String sweep, int shards, long rows, Path csv, Path jsonl) {}

  private SweepMerge() {}

  /** One shard's files, read. */
  private record ShardRows(SweepFiles.Meta meta, List<String> csv, List<String> json) {}

  /**
   * Merges the shards in {@code in} into {@code out}.
   *
   * @throws MergeException if the shards are incomplete or do not belong together
   */
  public static Summary merge(Path in, Path out) throws IOException, MergeException {
    if (!Files.isDirectory(in)) {
      throw new MergeException(in + " is not a directory");
    }
    Map<String, TreeSet<Integer>> groups = new TreeMap<>();
    try (Stream<Path> files = Files.list(in)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Matcher m = SHARD_FILE.matcher(p.getFileName().toString());
        if (m.matches()) {
          groups
              .computeIfAbsent(m.group(1) + " (" + m.group(3) + " shards)", x -> new TreeSet<>())
              .add(Integer.parseInt(m.group(2)));
        }
      }
    }
    if (groups.isEmpty()) {
      throw new MergeException("no shard files (<sweep>.shard-<i>-of-<n>.csv and .jsonl) in " + in);
    }
    if (groups.size() > 1) {
      throw new MergeException(
          in + " holds shards of more than one sweep or shard count: " + groups.keySet());
    }
    String key = groups.keySet().iterator().next();
    String sweep = key.substring(0, key.lastIndexOf(" ("));
    int n = Integer.parseInt(key.substring(key.lastIndexOf(" (") + 2, key.lastIndexOf(" shards")));
    List<ShardRows> shards = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      shards.add(read(in, sweep, new Shard(i, n)));
    }
    checkSame(shards);
    SweepFiles.Meta meta = shards.get(0).meta();
    long total = meta.configurations();
    Path csv = out.resolve(SweepFiles.tableCsv(sweep));
    Path jsonl = out.resolve(SweepFiles.tableJsonl(sweep));
    StringBuilder c = new StringBuilder(SweepFiles.csvHeader(meta, null, total));
    StringBuilder j = new StringBuilder(SweepFiles.jsonHeader(meta, null, total));
    for (long k = 0; k < total; k++) {
      ShardRows s = shards.get((int) (k % n));
      int at = (int) (k / n);
      c.append(s.csv().get(at)).append('\n');
      j.append(s.json().get(at)).append('\n');
    }
    SweepFiles.writeAtomically(csv, c);
    SweepFiles.writeAtomically(jsonl, j);
    return new Summary(sweep, n, total, csv, jsonl);
  }

  private static ShardRows read(Path in, String sweep, Shard shard)
      throws IOException, MergeException {
    Path csvFile = in.resolve(SweepFiles.shardCsv(sweep, shard));
    Path jsonFile = in.resolve(SweepFiles.shardJsonl(sweep, shard));
    for (Path p : List.of(jsonFile, csvFile)) {
      if (!Files.isRegularFile(p)) {
        throw new MergeException("shard " + shard + " is missing: no " + p.getFileName());
      }
    }
    List<String> json = Files.readAllLines(jsonFile, StandardCharsets.UTF_8);
    if (json.isEmpty()) {
      throw new MergeException(jsonFile.getFileName() + " is empty");
    }
    JsonNode h;
    try {
      h = JSON.readTree(json.get(0));
    } catch (JacksonException e) {
      throw new MergeException(jsonFile.getFileName() + " has no readable header line");
    }
    List<String> columns = new ArrayList<>();
    h.path("columns").forEach(x -> columns.add(x.asString()));
    SweepFiles.Meta meta =
        new SweepFiles.Meta(
            h.path("sweep").asString(),
            h.path("sha256").asString(),
            h.path("cvmsim").asString(),
            h.path("configurations").asLong(-1),
            List.copyOf(columns));
    if (!meta.sweep().equals(sweep)
        || h.path("shard").asInt(-1) != shard.index()
        || h.path("shards").asInt(-1) != shard.count()) {
      throw new MergeException(
          jsonFile.getFileName()
              + " says it is shard "
              + h.path("shard")
              + "/"
              + h.path("shards")
              + " of "
              + meta.sweep()
              + ", not its file name's");
    }
    long rows = shard.size(meta.configurations());
    if (h.path("rows").asLong(-1) != rows || json.size() - 1 != rows) {
      throw new MergeException(
          "shard "
              + shard
              + " is incomplete: "
              + (json.size() - 1)
              + " rows in "
              + jsonFile.getFileName()
              + ", expected "
              + rows);
    }
    List<String> jsonRows = json.subList(1, json.size());
    for (int i = 0; i < jsonRows.size(); i++) {
      Matcher m = ROW_INDEX.matcher(jsonRows.get(i));
      long expected = shard.index() + (long) i * shard.count();
      if (!m.matches() || Long.parseLong(m.group(1)) != expected) {
        throw new MergeException(
            jsonFile.getFileName() + " line " + (i + 2) + " is not configuration " + expected);
      }
    }
    List<String> csv = Files.readAllLines(csvFile, StandardCharsets.UTF_8);
    String expectedHeader = SweepFiles.csvHeader(meta, shard, rows);
    int headerLines = (int) expectedHeader.chars().filter(ch -> ch == '\n').count();
    if (csv.size() < headerLines
        || !String.join("\n", csv.subList(0, headerLines)).concat("\n").equals(expectedHeader)) {
      throw new MergeException(
          csvFile.getFileName() + " does not match " + jsonFile.getFileName() + " (header)");
    }
    List<String> csvRows = csv.subList(headerLines, csv.size());
    if (csvRows.size() != rows) {
      throw new MergeException(
          "shard "
              + shard
              + " is incomplete: "
              + csvRows.size()
              + " rows in "
              + csvFile.getFileName()
              + ", expected "
              + rows);
    }
    for (int i = 0; i < csvRows.size(); i++) {
      long expected = shard.index() + (long) i * shard.count();
      if (!csvRows.get(i).startsWith(expected + ",")) {
        throw new MergeException(
            csvFile.getFileName()
                + " line "
                + (i + headerLines + 1)
                + " is not configuration "
                + expected);
      }
    }
    return new ShardRows(meta, List.copyOf(csvRows), List.copyOf(jsonRows));
  }

  /** Checks that every shard agrees with shard 0 (same sweep file, version and columns). */
  private static void checkSame(List<ShardRows> shards) throws MergeException {
    SweepFiles.Meta first = shards.get(0).meta();
    for (int i = 1; i < shards.size(); i++) {
      SweepFiles.Meta m = shards.get(i).meta();
      if (!m.sha256().equals(first.sha256())) {
        throw new MergeException(
            "shard "
                + i
                + " comes from another sweep file (sha256 "
                + m.sha256()
                + ", shard 0 has "
                + first.sha256()
                + ")");
      }
      if (!m.version().equals(first.version())) {
        throw new MergeException(
            "shard "
                + i
                + " was computed by cvmsim "
                + m.version()
                + ", shard 0 by "
                + first.version());
      }
      if (m.configurations() != first.configurations() || !m.columns().equals(first.columns())) {
        throw new MergeException(
            "shard " + i + " has other configurations or columns than shard 0");
      }
    }
  }
}
