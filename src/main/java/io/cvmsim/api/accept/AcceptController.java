package io.cvmsim.api.accept;

import io.cvmsim.api.web.Params;
import io.cvmsim.config.CvmsimProperties;
import io.cvmsim.core.SimulatorException;
import io.cvmsim.core.vm.GuestVm;
import io.cvmsim.core.vm.VmRegistry;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Firmware and acceptance: the UEFI memory map, the unaccepted table, {@code accept_memory()},
 * {@code range_contains_unaccepted_memory()}, the accept log and the hypervisor's view.
 */
@RestController
@RequestMapping(path = "/api/v1/vms/{id}", produces = "application/json")
@Tag(
    name = "Firmware and acceptance",
    description =
        "The UEFI memory map, the unaccepted memory table, accept_memory() and"
            + " range_contains_unaccepted_memory() (drivers/firmware/efi/unaccepted_memory.c),"
            + " the accept log and the hypervisor's side")
class AcceptController {

  /** The header with the number of old accept-log entries dropped to stay within capacity. */
  static final String DROPPED_HEADER = "X-Accept-Log-Dropped";

  private final VmRegistry registry;
  private final int maxLogEntries;

  AcceptController(VmRegistry registry, CvmsimProperties properties) {
    this.registry = registry;
    this.maxLogEntries = properties.limits().maxAcceptLogEntries();
  }

  @GetMapping("/efi/memory-map")
  @Operation(
      summary = "UEFI memory map",
      description = "The descriptors the firmware handed over: [{type, physStart, pages}].")
  List<EfiDescriptorResponse> memoryMap(
      @Parameter(description = "VM id or name", example = "tdx-64g") @PathVariable String id) {
    return registry.get(id).memoryMap().descriptors().stream()
        .map(EfiDescriptorResponse::of)
        .toList();
  }

  @GetMapping("/efi/unaccepted-table")
  @Operation(
      summary = "Unaccepted memory table",
      description =
          "The Linux unaccepted memory config table now: version, unitSize, physBase, sizeBytes"
              + " (the bitmap length), unacceptedUnits (runs of set bits as [from, to) bit"
              + " indexes) and unacceptedBytes. Without a table (no UNACCEPTED descriptor, platform"
              + " NONE, or stopped at FIRMWARE): {\"present\": false}.")
  UnacceptedTableResponse unacceptedTable(
      @Parameter(description = "VM id or name", example = "tdx-64g") @PathVariable String id) {
    return UnacceptedTableResponse.of(registry.get(id).unacceptedTable());
  }

  @PostMapping(path = "/accept", consumes = "application/json")
  @Operation(
      summary = "accept_memory(start, end)",
      description =
          "The kernel's accept_memory() exactly, including the guard unit when end is"
              + " unit-aligned and its clamping to the bitmap. start must be below end and both"
              + " within the 52-bit physical address space (else 400). 409 while stopped at"
              + " FIRMWARE.")
  AcceptResponse accept(
      @Parameter(description = "VM id or name", example = "tdx-64g") @PathVariable String id,
      @RequestBody AcceptRequest request) {
    long start = Params.required("start", request.start()).value();
    long end = Params.required("end", request.end()).value();
    return AcceptResponse.of(registry.get(id).accept(start, end));
  }

  @GetMapping("/unaccepted")
  @Operation(
      summary = "range_contains_unaccepted_memory(start, end)",
      description = "Whether [start, end) holds unaccepted memory, as the kernel answers it.")
  ContainsResponse containsUnaccepted(
      @Parameter(description = "VM id or name", example = "tdx-64g") @PathVariable String id,
      @Parameter(description = "First byte: decimal or 0x hex", example = "0x100000000")
          @RequestParam
          String start,
      @Parameter(description = "Byte after the last: decimal or 0x hex", example = "0x140000000")
          @RequestParam
          String end) {
    long s = Params.address("start", start);
    long e = Params.address("end", end);
    return new ContainsResponse(s, e, registry.get(id).containsUnaccepted(s, e));
  }

  @GetMapping("/accept-log")
  @Operation(
      summary = "Accept log",
      description =
          "Every arch_accept_memory() call since boot, oldest first, after sequence number"
              + " `after`. The service keeps the last cvmsim.limits.max-accept-log-entries per VM;"
              + " the X-Accept-Log-Dropped header counts older entries that were dropped.")
  @ApiResponse(
      responseCode = "200",
      description = "The entries",
      headers =
          @Header(
              name = DROPPED_HEADER,
              description = "Old entries dropped to stay within capacity"))
  ResponseEntity<List<AcceptLogEntryResponse>> acceptLog(
      @Parameter(description = "VM id or name", example = "tdx-64g") @PathVariable String id,
      @Parameter(description = "Return entries with seq above this", example = "0")
          @RequestParam(defaultValue = "0")
          long after,
      @Parameter(
              description = "Most entries to return, 1..max-accept-log-entries (default: all)",
              example = "1000")
          @RequestParam(required = false)
          Integer limit) {
    if (after < 0) {
      throw SimulatorException.badRequest("after", "after must not be negative, got " + after);
    }
    int n = limit == null ? maxLogEntries : limit;
    if (n < 1 || n > maxLogEntries) {
      throw SimulatorException.badRequest(
          "limit", "limit must be between 1 and " + maxLogEntries + ", got " + n);
    }
    GuestVm vm = registry.get(id);
    List<AcceptLogEntryResponse> entries =
        vm.acceptLog(Math.min(after, Long.MAX_VALUE - 1), n).stream()
            .map(AcceptLogEntryResponse::of)
            .toList();
    return ResponseEntity.ok()
        .header(DROPPED_HEADER, Long.toString(vm.acceptLogDropped()))
        .body(entries);
  }

  @GetMapping("/host")
  @Operation(
      summary = "The hypervisor's side",
      description =
          "Private memory the host backs, accept instructions by page size, and the simulated"
              + " time spent accepting.")
  HostResponse host(
      @Parameter(description = "VM id or name", example = "tdx-64g") @PathVariable String id) {
    return HostResponse.of(registry.get(id).host());
  }
}
