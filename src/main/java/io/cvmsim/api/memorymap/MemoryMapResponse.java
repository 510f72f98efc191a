package io.cvmsim.api.memorymap;

import io.cvmsim.core.stats.MapState;
import io.cvmsim.core.stats.MemoryMapView;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A memory-map view as JSON. */
@Schema(
    description =
        "The physical address space [from, to) in equal buckets: bytes per state in each, and the"
            + " dominant state")
record MemoryMapResponse(
    @Schema(description = "First address shown", example = "0") long from,
    @Schema(description = "Address after the last one shown", example = "70866960384") long to,
    @Schema(description = "Bytes per bucket (the last may cover less)", example = "276824064")
        long bucketBytes,
    @Schema(description = "Every state, in drawing order, with its colour (Okabe-Ito)")
        List<State> states,
    @Schema(
            description = "Bytes per state over the whole range (every state, zeros included)",
            example = "{\"hole\": 2147483648, \"unaccepted\": 66571993088, \"free\": 402653184}")
        Map<String, Long> totals,
    @Schema(description = "The buckets in address order") List<Bucket> buckets) {

  /** One state of the legend. */
  @Schema(description = "One state of the legend")
  record State(
      @Schema(description = "The name used in totals and bytes", example = "unaccepted")
          String name,
      @Schema(description = "Fill colour", example = "#E69F00") String color,
      @Schema(description = "What it means", example = "unaccepted") String description) {}

  /** One bucket. */
  @Schema(description = "One bucket of the map")
  record Bucket(
      @Schema(description = "First address", example = "4294967296") long start,
      @Schema(description = "Address after the last", example = "4571791360") long end,
      @Schema(
              description = "The state with the most bytes (hole only if all hole)",
              example = "unaccepted")
          String dominant,
      @Schema(
              description = "Bytes per state; states with no bytes are left out",
              example = "{\"unaccepted\": 272629760, \"free\": 4194304}")
          Map<String, Long> bytes) {}

  private static final MapState[] STATES = MapState.values();

  /** The legend, the same for every view. */
  static final List<State> LEGEND =
      Arrays.stream(STATES).map(s -> new State(s.label(), s.color(), s.description())).toList();

  /** Returns the answer for the core's view. */
  static MemoryMapResponse of(MemoryMapView view) {
    Map<String, Long> totals = new LinkedHashMap<>();
    for (MapState s : STATES) {
      totals.put(s.label(), view.totals()[s.ordinal()]);
    }
    List<Bucket> buckets = new ArrayList<>(view.buckets().size());
    for (MemoryMapView.Bucket b : view.buckets()) {
      Map<String, Long> bytes = new LinkedHashMap<>();
      for (MapState s : STATES) {
        long v = b.bytes()[s.ordinal()];
        if (v != 0) {
          bytes.put(s.label(), v);
        }
      }
      buckets.add(new Bucket(b.start(), b.end(), b.dominant().label(), bytes));
    }
    return new MemoryMapResponse(
        view.from(), view.to(), view.bucketBytes(), LEGEND, totals, buckets);
  }
}
