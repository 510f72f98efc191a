package io.cvmsim.api.memory;

import io.cvmsim.core.memory.MigrateType;
import io.cvmsim.core.memory.Sizes;
import io.cvmsim.core.stats.MemorySnapshot;
import io.cvmsim.core.stats.ZoneSnapshot;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** /proc/pagetypeinfo as JSON. */
@Schema(
    description =
        "/proc/pagetypeinfo: free blocks per order and migrate type, and pageblocks per type")
record PagetypeinfoResponse(
    @Schema(description = "pageblock_order", example = "9") int pageblockOrder,
    @Schema(description = "Pages per pageblock", example = "512") int pagesPerBlock,
    @Schema(description = "Populated zones in zone order") List<Zone> zones) {

  /** One zone. */
  @Schema(description = "One zone")
  record Zone(
      @Schema(description = "NUMA node", example = "0") int node,
      @Schema(description = "Zone name", example = "Normal") String zone,
      @Schema(
              description = "Free blocks at orders 0..10 per migrate type (exact, not capped)",
              example = "{\"Unmovable\": [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]}")
          Map<String, long[]> freeBlocks,
      @Schema(
              description = "Pageblocks per migrate type",
              example = "{\"Unmovable\": 10, \"Movable\": 500}")
          Map<String, Long> pageblocks) {}

  /** Returns the view of a snapshot. */
  static PagetypeinfoResponse of(MemorySnapshot s) {
    List<Zone> zones =
        s.zones().stream()
            .filter(ZoneSnapshot::populated)
            .map(
                z -> {
                  Map<String, long[]> free = new LinkedHashMap<>();
                  Map<String, Long> blocks = new LinkedHashMap<>();
                  for (MigrateType mt : MigrateType.values()) {
                    long[] perOrder = new long[Sizes.NR_ORDERS];
                    for (int o = 0; o < Sizes.NR_ORDERS; o++) {
                      perOrder[o] = z.freeBlocks()[o][mt.ordinal()];
                    }
                    free.put(mt.procName(), perOrder);
                    blocks.put(mt.procName(), z.pageblocks()[mt.ordinal()]);
                  }
                  return new Zone(0, z.name(), free, blocks);
                })
            .toList();
    return new PagetypeinfoResponse(Sizes.PAGEBLOCK_ORDER, Sizes.PAGEBLOCK_NR_PAGES, zones);
  }
}
