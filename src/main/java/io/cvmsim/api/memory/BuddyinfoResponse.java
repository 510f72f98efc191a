package io.cvmsim.api.memory;

import io.cvmsim.core.stats.MemorySnapshot;
import io.cvmsim.core.stats.ZoneSnapshot;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** /proc/buddyinfo as JSON. */
@Schema(description = "/proc/buddyinfo: free blocks per order of each populated zone")
record BuddyinfoResponse(@Schema(description = "Populated zones in zone order") List<Zone> zones) {

  /** One zone. */
  @Schema(description = "One zone's free blocks")
  record Zone(
      @Schema(description = "NUMA node", example = "0") int node,
      @Schema(description = "Zone name", example = "Normal") String zone,
      @Schema(
              description = "Free blocks at orders 0..10 (parked unaccepted chunks not included)",
              example = "[1, 0, 2, 1, 1, 0, 1, 1, 0, 1, 3]")
          long[] freeBlocks) {}

  /** Returns the view of a snapshot. */
  static BuddyinfoResponse of(MemorySnapshot s) {
    return new BuddyinfoResponse(
        s.zones().stream()
            .filter(ZoneSnapshot::populated)
            .map(z -> new Zone(0, z.name(), z.nrFree()))
            .toList());
  }
}
