package io.cvmsim.api.vm;

import io.cvmsim.api.web.PageResponse;
import io.cvmsim.core.snapshot.SnapshotFormat;
import io.cvmsim.core.vm.GuestVm;
import io.cvmsim.core.vm.VmRegistry;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The VM lifecycle: create (from a spec or a snapshot), list, get, snapshot, delete, and the boot
 * timeline.
 */
@RestController
@RequestMapping(path = "/api/v1/vms", produces = "application/json")
@Tag(name = "VMs", description = "Create, list, inspect, boot and delete simulated guests")
class VmController {

  private final VmRegistry registry;

  VmController(VmRegistry registry) {
    this.registry = registry;
  }

  @PostMapping(consumes = "application/json")
  @Operation(
      summary = "Create a VM",
      description =
          "Builds the guest's memory map, boots it as far as bootTo says and registers it. A"
              + " refused creation (400, 409 name in use, 413 over max-memory-per-vm or"
              + " max-bitmap-bytes, 422 impossible map, 503 at capacity) registers nothing.")
  @ApiResponse(
      responseCode = "201",
      description = "Created; the body is the VM summary",
      headers = @Header(name = "Location", description = "/api/v1/vms/{id}"))
  ResponseEntity<VmResponse> create(@RequestBody CreateVmRequest request) {
    GuestVm vm = registry.create(request.toSpec());
    return ResponseEntity.created(URI.create("/api/v1/vms/" + vm.id()))
        .body(VmResponse.of(vm.summary()));
  }

  @PostMapping(consumes = SnapshotFormat.MEDIA_TYPE)
  @Operation(
      summary = "Create a VM from a snapshot",
      description =
          "Recreates the VM a snapshot holds (GET /vms/{id}/snapshot; format in docs/SNAPSHOT.md)"
              + " under a new id, with every view as it was. name renames it; without it the"
              + " snapshot's name is kept. The whole snapshot is checked before anything is"
              + " registered: 400 for a malformed, truncated or corrupted snapshot or an unknown"
              + " format version (the detail names it), 409 for a name in use, 413 over"
              + " max-request-bytes, max-snapshot-bytes (its inflated size, checked before"
              + " inflating), max-memory-per-vm or max-bitmap-bytes, 422 for a snapshot that"
              + " reads but describes an impossible guest (overlapping ranges, counts that do"
              + " not add up, a broken allocator invariant), 503 at capacity.")
  @io.swagger.v3.oas.annotations.parameters.RequestBody(
      description = "A snapshot, as GET /vms/{id}/snapshot returns it",
      content =
          @Content(
              mediaType = SnapshotFormat.MEDIA_TYPE,
              schema = @Schema(type = "string", format = "binary"),
              examples =
                  @ExampleObject(
                      name = "snapshot",
                      summary = "The bytes of a snapshot file",
                      value =
                          "(binary: the bytes of a .cvmsnap file, as GET"
                              + " /api/v1/vms/{id}/snapshot returned them; they start with"
                              + " CVMSNAP)")))
  @ApiResponse(
      responseCode = "201",
      description = "Created; the body is the VM summary",
      headers = @Header(name = "Location", description = "/api/v1/vms/{id}"))
  ResponseEntity<VmResponse> importSnapshot(
      @Parameter(description = "The name to give the VM; default: the snapshot's", example = "copy")
          @RequestParam(required = false)
          String name,
      @RequestBody byte[] snapshot) {
    GuestVm vm = registry.restore(snapshot, name, false);
    return ResponseEntity.created(URI.create("/api/v1/vms/" + vm.id()))
        .body(VmResponse.of(vm.summary()));
  }

  @GetMapping(path = "/{id}/snapshot", produces = SnapshotFormat.MEDIA_TYPE)
  @Operation(
      summary = "Snapshot a VM",
      description =
          "The VM's whole state (spec, memory map, boot timeline, unaccepted bitmap, host view,"
              + " accept log, free lists, pageblocks, parked chunks, live allocations, counters,"
              + " watermarks, sysctls, extfrag statistics) in a versioned, compressed binary"
              + " format (docs/SNAPSHOT.md). POST it to /vms with this media type to recreate the"
              + " VM. Its size follows the memory the guest touched: a booted lazy 1 TiB guest"
              + " takes about 1 KiB.")
  @ApiResponse(
      responseCode = "200",
      description = "The snapshot, as an attachment named after the VM",
      content =
          @Content(
              mediaType = SnapshotFormat.MEDIA_TYPE,
              schema = @Schema(type = "string", format = "binary")))
  ResponseEntity<byte[]> snapshot(
      @Parameter(description = "VM id or name", example = "tdx-64g") @PathVariable String id) {
    GuestVm vm = registry.get(id);
    byte[] snapshot = vm.snapshot();
    String file = (vm.name() != null ? vm.name() : vm.id()) + SnapshotFormat.EXTENSION;
    return ResponseEntity.ok()
        .contentType(MediaType.parseMediaType(SnapshotFormat.MEDIA_TYPE))
        .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + file + "\"")
        .body(snapshot);
  }

  @GetMapping
  @Operation(summary = "List VMs", description = "Live VMs, oldest first, one page at a time.")
  PageResponse<VmResponse> list(
      @Parameter(description = "Page number, from 0", example = "0")
          @RequestParam(defaultValue = "0")
          int page,
      @Parameter(description = "Page size, 1..1000", example = "20")
          @RequestParam(defaultValue = "20")
          int size) {
    return PageResponse.of(registry.list(), page, size, vm -> VmResponse.of(vm.summary()));
  }

  @GetMapping("/{id}")
  @Operation(summary = "Get a VM", description = "The VM summary, by id or by name.")
  VmResponse get(
      @Parameter(description = "VM id or name", example = "tdx-64g") @PathVariable String id) {
    return VmResponse.of(registry.get(id).summary());
  }

  @DeleteMapping("/{id}")
  @Operation(
      summary = "Delete a VM",
      description = "Removes the VM, its metrics series and its jobs (running ones are cancelled).")
  @ApiResponse(responseCode = "204", description = "Deleted")
  ResponseEntity<Void> delete(
      @Parameter(description = "VM id or name", example = "tdx-64g") @PathVariable String id) {
    registry.delete(id);
    return ResponseEntity.noContent().build();
  }

  @GetMapping("/{id}/boot")
  @Operation(
      summary = "Boot timeline",
      description =
          "The simulated boot so far: phases with simulated durations and the memory accepted in"
              + " each, and the boot-to-userspace time.")
  BootResponse boot(
      @Parameter(description = "VM id or name", example = "tdx-64g") @PathVariable String id) {
    GuestVm vm = registry.get(id);
    return BootResponse.of(vm.stage(), vm.bootTimeline());
  }

  @PostMapping("/{id}/boot")
  @Operation(
      summary = "Continue the boot",
      description =
          "Continues a boot stopped at FIRMWARE or EFI_STUB to KERNEL; a booted VM stays as it"
              + " is. Answers the timeline.")
  BootResponse continueBoot(
      @Parameter(description = "VM id or name", example = "tdx-64g") @PathVariable String id) {
    GuestVm vm = registry.get(id);
    vm.bootToKernel();
    return BootResponse.of(vm.stage(), vm.bootTimeline());
  }
}
