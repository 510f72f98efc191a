package io.cvmsim.api.memorymap;

import io.cvmsim.api.web.Params;
import io.cvmsim.core.memory.Sizes;
import io.cvmsim.core.stats.MemoryMapSvg;
import io.cvmsim.core.stats.MemoryMapView;
import io.cvmsim.core.vm.GuestVm;
import io.cvmsim.core.vm.VmRegistry;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Locale;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The memory map of a guest: its physical address space {@code [from, to)} in equal buckets, each
 * with the bytes in every state, as JSON or as an SVG picture. The cost follows the guest's
 * structures (descriptors, bitmap runs, free blocks, allocations), not its size.
 */
@RestController
@RequestMapping("/api/v1/vms/{id}")
@Tag(
    name = "Memory map",
    description =
        "The guest-physical address space as a picture: holes, reserved, kernel, unaccepted,"
            + " parked, free and allocated memory by migrate type")
class MemoryMapController {

  /** Buckets when the request gives none. */
  static final int DEFAULT_BUCKETS = 256;

  private static final String SVG = "image/svg+xml";
  private static final String FROM =
      "First address: an integer, 0x hex or a size such as \"4GiB\"; default 0";
  private static final String TO =
      "Address after the last: an integer, 0x hex or a size; default the end of the guest's"
          + " memory map";
  private static final String BUCKETS =
      "Number of buckets, 1.." + GuestVm.MAX_MAP_BUCKETS + "; default " + DEFAULT_BUCKETS;

  private final VmRegistry registry;

  MemoryMapController(VmRegistry registry) {
    this.registry = registry;
  }

  @GetMapping(path = "/memory-map", produces = "application/json")
  @Operation(
      summary = "Memory map",
      description =
          "The physical address space [from, to) in equal buckets: {from, to, bucketBytes,"
              + " states: [{name, color, description}], totals: {state: bytes}, buckets: [{start,"
              + " end, dominant, bytes: {state: bytes}}]}; a bucket's bytes leave out states it"
              + " has none of. States: hole, reserved, kernel, unaccepted, parked, free,"
              + " unmovable, movable, reclaimable. 400 for an empty range or more than "
              + GuestVm.MAX_MAP_BUCKETS
              + " buckets.")
  MemoryMapResponse memoryMap(
      @Parameter(description = "VM id or name", example = "tdx-64g") @PathVariable String id,
      @Parameter(description = FROM, example = "0") @RequestParam(required = false) String from,
      @Parameter(description = TO, example = "0x200000000") @RequestParam(required = false)
          String to,
      @Parameter(description = BUCKETS, example = "256") @RequestParam(required = false)
          Integer buckets) {
    return MemoryMapResponse.of(view(registry.get(id), from, to, buckets));
  }

  @GetMapping(path = "/memory-map.svg", produces = SVG)
  @Operation(
      summary = "Memory map as SVG",
      description =
          "The same view as /memory-map (same parameters) drawn as an accessible SVG picture:"
              + " one column per bucket split by state, a legend, a title and a description"
              + " with the share of every state.")
  @ApiResponse(
      responseCode = "200",
      description = "The picture",
      content = @Content(mediaType = SVG, schema = @Schema(type = "string")))
  String memoryMapSvg(
      @Parameter(description = "VM id or name", example = "tdx-64g") @PathVariable String id,
      @Parameter(description = FROM, example = "0") @RequestParam(required = false) String from,
      @Parameter(description = TO, example = "0x200000000") @RequestParam(required = false)
          String to,
      @Parameter(description = BUCKETS, example = "256") @RequestParam(required = false)
          Integer buckets) {
    GuestVm vm = registry.get(id);
    return MemoryMapSvg.render(view(vm, from, to, buckets), title(vm));
  }

  private static MemoryMapView view(GuestVm vm, String from, String to, Integer buckets) {
    Long start = Params.parse("from", from, Sizes::parseBytes);
    Long end = Params.parse("to", to, Sizes::parseBytes);
    return vm.memoryMapView(
        start == null ? 0 : start,
        end == null ? vm.memoryMap().end() : end,
        buckets == null ? DEFAULT_BUCKETS : buckets);
  }

  private static String title(GuestVm vm) {
    var spec = vm.spec();
    return (vm.name() == null ? vm.id() : vm.name())
        + ": "
        + spec.platform()
        + ", "
        + Sizes.format(spec.ramBytes())
        + ", accept_memory="
        + spec.acceptPolicy().name().toLowerCase(Locale.ROOT)
        + ", kernel "
        + spec.kernel();
  }
}
