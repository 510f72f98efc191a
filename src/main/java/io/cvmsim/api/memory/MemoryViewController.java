package io.cvmsim.api.memory;

import io.cvmsim.core.SimulatorException;
import io.cvmsim.core.stats.MemorySnapshot;
import io.cvmsim.core.stats.ProcFormat;
import io.cvmsim.core.vm.VmRegistry;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The guest's memory views, each as JSON (the default) or, with {@code Accept: text/plain}, in the
 * kernel's exact file format. All read the VM's latest memory snapshot (rebuilt only when the
 * allocator changed). 409 before the kernel runs.
 */
@RestController
@RequestMapping("/api/v1/vms/{id}")
@Tag(name = "Memory")
class MemoryViewController {

  private static final String JSON = "application/json";
  private static final String TEXT = "text/plain";
  private static final String EXTFRAG_INDEX = "extfrag_index";
  private static final String UNUSABLE_INDEX = "unusable_index";

  private final VmRegistry registry;

  MemoryViewController(VmRegistry registry) {
    this.registry = registry;
  }

  private MemorySnapshot memory(String id) {
    return registry.get(id).memory();
  }

  @GetMapping(path = "/meminfo", produces = JSON)
  @Operation(
      summary = "/proc/meminfo",
      description =
          "JSON: every field in kB plus the main ones in bytes. With Accept: text/plain, the"
              + " file exactly as fs/proc/meminfo.c prints it (with its Unaccepted: line).")
  MeminfoResponse meminfo(
      @Parameter(description = "VM id or name", example = "tdx-64g") @PathVariable String id) {
    return MeminfoResponse.of(memory(id));
  }

  @GetMapping(path = "/meminfo", produces = TEXT)
  String meminfoText(@PathVariable String id) {
    return ProcFormat.meminfo(memory(id));
  }

  @GetMapping(path = "/vmstat", produces = JSON)
  @Operation(
      summary = "/proc/vmstat",
      description = "JSON: every item in print order. text/plain: the file (mm/vmstat.c).")
  VmstatResponse vmstat(
      @Parameter(description = "VM id or name", example = "tdx-64g") @PathVariable String id) {
    return VmstatResponse.of(memory(id));
  }

  @GetMapping(path = "/vmstat", produces = TEXT)
  String vmstatText(@PathVariable String id) {
    return ProcFormat.vmstat(memory(id));
  }

  @GetMapping(path = "/buddyinfo", produces = JSON)
  @Operation(
      summary = "/proc/buddyinfo",
      description = "JSON: free blocks per order of each populated zone. text/plain: the file.")
  BuddyinfoResponse buddyinfo(
      @Parameter(description = "VM id or name", example = "tdx-64g") @PathVariable String id) {
    return BuddyinfoResponse.of(memory(id));
  }

  @GetMapping(path = "/buddyinfo", produces = TEXT)
  String buddyinfoText(@PathVariable String id) {
    return ProcFormat.buddyinfo(memory(id));
  }

  @GetMapping(path = "/pagetypeinfo", produces = JSON)
  @Operation(
      summary = "/proc/pagetypeinfo",
      description =
          "JSON: free blocks per order and migrate type and pageblocks per type, per zone."
              + " text/plain: the file.")
  PagetypeinfoResponse pagetypeinfo(
      @Parameter(description = "VM id or name", example = "tdx-64g") @PathVariable String id) {
    return PagetypeinfoResponse.of(memory(id));
  }

  @GetMapping(path = "/pagetypeinfo", produces = TEXT)
  String pagetypeinfoText(@PathVariable String id) {
    return ProcFormat.pagetypeinfo(memory(id));
  }

  @GetMapping(path = "/zoneinfo", produces = JSON)
  @Operation(
      summary = "/proc/zoneinfo",
      description =
          "JSON: every zone with watermarks (min, low, high, promo), spanned/present/managed,"
              + " protection, free and unaccepted pages and its vmstat items. text/plain: the"
              + " file.")
  ZoneinfoResponse zoneinfo(
      @Parameter(description = "VM id or name", example = "tdx-64g") @PathVariable String id) {
    return ZoneinfoResponse.of(memory(id));
  }

  @GetMapping(path = "/zoneinfo", produces = TEXT)
  String zoneinfoText(@PathVariable String id) {
    return ProcFormat.zoneinfo(memory(id));
  }

  @GetMapping(path = "/extfrag", produces = JSON)
  @Operation(
      summary = "debugfs extfrag",
      description =
          "JSON: the fragmentation and unusable free space indices per zone and order, as ratios"
              + " (-1.0 where the order would succeed) and in thousandths. text/plain: the"
              + " debugfs file named by ?file= (extfrag_index, the default, or unusable_index).")
  ExtfragResponse extfrag(
      @Parameter(description = "VM id or name", example = "tdx-64g") @PathVariable String id,
      @Parameter(
              description =
                  "text/plain: which debugfs file, extfrag_index (default) or unusable_index;"
                      + " JSON always has both")
          @RequestParam(required = false)
          String file) {
    checkFile(file);
    return ExtfragResponse.of(memory(id));
  }

  @GetMapping(path = "/extfrag", produces = TEXT)
  String extfragText(
      @PathVariable String id, @RequestParam(defaultValue = EXTFRAG_INDEX) String file) {
    checkFile(file);
    return file.equals(EXTFRAG_INDEX)
        ? ProcFormat.extfragIndex(memory(id))
        : ProcFormat.unusableIndex(memory(id));
  }

  private static void checkFile(String file) {
    if (file != null && !file.equals(EXTFRAG_INDEX) && !file.equals(UNUSABLE_INDEX)) {
      throw SimulatorException.badRequest(
          "file", "file must be extfrag_index or unusable_index, got '" + file + "'");
    }
  }
}
