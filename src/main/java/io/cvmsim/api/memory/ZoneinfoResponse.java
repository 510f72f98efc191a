package io.cvmsim.api.memory;

import io.cvmsim.core.stats.MemorySnapshot;
import io.cvmsim.core.stats.ProcFormat;
import io.cvmsim.core.stats.ZoneSnapshot;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;

/** /proc/zoneinfo as JSON. */
@Schema(
    description = "/proc/zoneinfo: every zone of node 0 with its watermarks and counters, in pages")
record ZoneinfoResponse(
    @Schema(description = "The kernel model", example = "6.5") String kernel,
    @Schema(description = "vm.min_free_kbytes", example = "67584") long minFreeKbytes,
    @Schema(description = "vm.watermark_scale_factor", example = "10") int watermarkScaleFactor,
    @Schema(description = "totalreserve_pages", example = "60000") long totalReservePages,
    @Schema(description = "All zones in zone order, populated or not") List<Zone> zones) {

  /** One zone, in pages. */
  @Schema(description = "One zone; counts are 4 KiB pages")
  record Zone(
      @Schema(description = "Zone name", example = "Normal") String zone,
      @Schema(description = "Whether the zone has present pages", example = "true")
          boolean populated,
      @Schema(description = "zone_start_pfn", example = "1048576") long startPfn,
      @Schema(
              description = "NR_FREE_PAGES (parked unaccepted chunks included)",
              example = "15000000")
          long freePages,
      @Schema(description = "NR_UNACCEPTED", example = "14800000") long unacceptedPages,
      @Schema(description = "Pages in live allocations", example = "1000") long allocatedPages,
      @Schema(description = "Watermarks as /proc/zoneinfo prints them (boost included)")
          Watermarks watermarks,
      @Schema(description = "Spanned pages", example = "15990784") long spannedPages,
      @Schema(description = "Present pages", example = "15990784") long presentPages,
      @Schema(description = "Managed pages", example = "15700000") long managedPages,
      @Schema(description = "lowmem_reserve[] (protection), per zone", example = "[0, 0, 0, 0, 0]")
          long[] protection,
      @Schema(
              description = "The zone's vmstat items (nr_free_pages, nr_unaccepted, ...)",
              example = "{\"nr_free_pages\": 15000000, \"nr_unaccepted\": 14800000}")
          Map<String, Long> stats) {}

  /** A zone's watermarks, in pages. */
  @Schema(description = "Watermarks in pages (boost included, as zoneinfo prints them)")
  record Watermarks(
      @Schema(example = "16000") long min,
      @Schema(example = "20000") long low,
      @Schema(example = "24000") long high,
      @Schema(description = "The promo watermark (mainline prints it)", example = "28000")
          long promo,
      @Schema(description = "watermark_boost", example = "0") long boost) {}

  /** Returns the view of a snapshot. */
  static ZoneinfoResponse of(MemorySnapshot s) {
    List<Zone> zones =
        s.zones().stream()
            .map(
                (ZoneSnapshot z) ->
                    new Zone(
                        z.name(),
                        z.populated(),
                        z.startPfn(),
                        z.freePages(),
                        z.unacceptedPages(),
                        z.allocatedPages(),
                        new Watermarks(
                            z.wmark(0), z.wmark(1), z.wmark(2), z.wmark(3), z.watermarkBoost()),
                        z.spannedPages(),
                        z.presentPages(),
                        z.managedPages(),
                        z.lowmemReserve(),
                        z.populated() ? ProcFormat.zoneStats(s, z) : Map.of()))
            .toList();
    return new ZoneinfoResponse(
        s.kernel(), s.minFreeKbytes(), s.watermarkScaleFactor(), s.totalReservePages(), zones);
  }
}
