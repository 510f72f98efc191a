package io.cvmsim.api.memory;

import io.cvmsim.core.SimulatorException;
import io.cvmsim.core.stats.MemorySnapshot;
import io.cvmsim.core.stats.ProcFormat;
import io.cvmsim.core.vm.VmRegistry;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * The guest's memory views, each as JSON (the default) or, with {@code Accept: text/plain}, in the
 * kernel's exact file format. All read the VM's latest memory snapshot (rebuilt only when the
 * allocator changed), and each body is rendered once per snapshot ({@link RenderedViews}). 409
 * before the kernel runs.
 */
@RestController
@RequestMapping("/api/v1/vms/{id}")
@Tag(name = "Memory")
class MemoryViewController {

  private static final String JSON = "application/json";
  private static final String TEXT = "text/plain";
  private static final MediaType TEXT_UTF8 = new MediaType("text", "plain", StandardCharsets.UTF_8);
  private static final MediaType JSON_TYPE = MediaType.APPLICATION_JSON;
  private static final String EXTFRAG_INDEX = "extfrag_index";
  private static final String UNUSABLE_INDEX = "unusable_index";

  private final VmRegistry registry;
  private final JsonMapper json;
  private final RenderedViews rendered;

  MemoryViewController(VmRegistry registry, JsonMapper json) {
    this.registry = registry;
    this.json = json;
    this.rendered = new RenderedViews(registry);
  }

  /** Returns the JSON body of a view for the guest's current memory. */
  private ResponseEntity<byte[]> json(
      String id, String view, Function<MemorySnapshot, Object> response) {
    byte[] body =
        rendered.body(registry.get(id), view, s -> json.writeValueAsBytes(response.apply(s)));
    return ResponseEntity.ok().contentType(JSON_TYPE).body(body);
  }

  /** Returns the kernel-text body of a view for the guest's current memory. */
  private ResponseEntity<byte[]> text(
      String id, String view, Function<MemorySnapshot, String> file) {
    byte[] body =
        rendered.body(registry.get(id), view, s -> file.apply(s).getBytes(StandardCharsets.UTF_8));
    return ResponseEntity.ok().contentType(TEXT_UTF8).body(body);
  }

  @GetMapping(path = "/meminfo", produces = JSON)
  @Operation(
      summary = "/proc/meminfo",
      description =
          "JSON: every field in kB plus the main ones in bytes. With Accept: text/plain, the"
              + " file exactly as fs/proc/meminfo.c prints it (with its Unaccepted: line).")
  @ApiResponse(
      responseCode = "200",
      content = {
        @Content(mediaType = JSON, schema = @Schema(implementation = MeminfoResponse.class)),
        @Content(mediaType = TEXT, schema = @Schema(implementation = String.class))
      })
  ResponseEntity<byte[]> meminfo(
      @Parameter(description = "VM id or name", example = "tdx-64g") @PathVariable String id) {
    return json(id, "meminfo", MeminfoResponse::of);
  }

  @GetMapping(path = "/meminfo", produces = TEXT)
  @ApiResponse(
      responseCode = "200",
      content = @Content(mediaType = TEXT, schema = @Schema(implementation = String.class)))
  ResponseEntity<byte[]> meminfoText(@PathVariable String id) {
    return text(id, "meminfo.txt", ProcFormat::meminfo);
  }

  @GetMapping(path = "/vmstat", produces = JSON)
  @Operation(
      summary = "/proc/vmstat",
      description = "JSON: every item in print order. text/plain: the file (mm/vmstat.c).")
  @ApiResponse(
      responseCode = "200",
      content = {
        @Content(mediaType = JSON, schema = @Schema(implementation = VmstatResponse.class)),
        @Content(mediaType = TEXT, schema = @Schema(implementation = String.class))
      })
  ResponseEntity<byte[]> vmstat(
      @Parameter(description = "VM id or name", example = "tdx-64g") @PathVariable String id) {
    return json(id, "vmstat", VmstatResponse::of);
  }

  @GetMapping(path = "/vmstat", produces = TEXT)
  @ApiResponse(
      responseCode = "200",
      content = @Content(mediaType = TEXT, schema = @Schema(implementation = String.class)))
  ResponseEntity<byte[]> vmstatText(@PathVariable String id) {
    return text(id, "vmstat.txt", ProcFormat::vmstat);
  }

  @GetMapping(path = "/buddyinfo", produces = JSON)
  @Operation(
      summary = "/proc/buddyinfo",
      description = "JSON: free blocks per order of each populated zone. text/plain: the file.")
  @ApiResponse(
      responseCode = "200",
      content = {
        @Content(mediaType = JSON, schema = @Schema(implementation = BuddyinfoResponse.class)),
        @Content(mediaType = TEXT, schema = @Schema(implementation = String.class))
      })
  ResponseEntity<byte[]> buddyinfo(
      @Parameter(description = "VM id or name", example = "tdx-64g") @PathVariable String id) {
    return json(id, "buddyinfo", BuddyinfoResponse::of);
  }

  @GetMapping(path = "/buddyinfo", produces = TEXT)
  @ApiResponse(
      responseCode = "200",
      content = @Content(mediaType = TEXT, schema = @Schema(implementation = String.class)))
  ResponseEntity<byte[]> buddyinfoText(@PathVariable String id) {
    return text(id, "buddyinfo.txt", ProcFormat::buddyinfo);
  }

  @GetMapping(path = "/pagetypeinfo", produces = JSON)
  @Operation(
      summary = "/proc/pagetypeinfo",
      description =
          "JSON: free blocks per order and migrate type and pageblocks per type, per zone."
              + " text/plain: the file.")
  @ApiResponse(
      responseCode = "200",
      content = {
        @Content(mediaType = JSON, schema = @Schema(implementation = PagetypeinfoResponse.class)),
        @Content(mediaType = TEXT, schema = @Schema(implementation = String.class))
      })
  ResponseEntity<byte[]> pagetypeinfo(
      @Parameter(description = "VM id or name", example = "tdx-64g") @PathVariable String id) {
    return json(id, "pagetypeinfo", PagetypeinfoResponse::of);
  }

  @GetMapping(path = "/pagetypeinfo", produces = TEXT)
  @ApiResponse(
      responseCode = "200",
      content = @Content(mediaType = TEXT, schema = @Schema(implementation = String.class)))
  ResponseEntity<byte[]> pagetypeinfoText(@PathVariable String id) {
    return text(id, "pagetypeinfo.txt", ProcFormat::pagetypeinfo);
  }

  @GetMapping(path = "/zoneinfo", produces = JSON)
  @Operation(
      summary = "/proc/zoneinfo",
      description =
          "JSON: every zone with watermarks (min, low, high, promo), spanned/present/managed,"
              + " protection, free and unaccepted pages and its vmstat items. text/plain: the"
              + " file.")
  @ApiResponse(
      responseCode = "200",
      content = {
        @Content(mediaType = JSON, schema = @Schema(implementation = ZoneinfoResponse.class)),
        @Content(mediaType = TEXT, schema = @Schema(implementation = String.class))
      })
  ResponseEntity<byte[]> zoneinfo(
      @Parameter(description = "VM id or name", example = "tdx-64g") @PathVariable String id) {
    return json(id, "zoneinfo", ZoneinfoResponse::of);
  }

  @GetMapping(path = "/zoneinfo", produces = TEXT)
  @ApiResponse(
      responseCode = "200",
      content = @Content(mediaType = TEXT, schema = @Schema(implementation = String.class)))
  ResponseEntity<byte[]> zoneinfoText(@PathVariable String id) {
    return text(id, "zoneinfo.txt", ProcFormat::zoneinfo);
  }

  @GetMapping(path = "/extfrag", produces = JSON)
  @Operation(
      summary = "debugfs extfrag",
      description =
          "JSON: the fragmentation and unusable free space indices per zone and order, as ratios"
              + " (-1.0 where the order would succeed) and in thousandths. text/plain: the"
              + " debugfs file named by ?file= (extfrag_index, the default, or unusable_index).")
  @ApiResponse(
      responseCode = "200",
      content = {
        @Content(mediaType = JSON, schema = @Schema(implementation = ExtfragResponse.class)),
        @Content(mediaType = TEXT, schema = @Schema(implementation = String.class))
      })
  ResponseEntity<byte[]> extfrag(
      @Parameter(description = "VM id or name", example = "tdx-64g") @PathVariable String id,
      @Parameter(
              description =
                  "text/plain: which debugfs file, extfrag_index (default) or unusable_index;"
                      + " JSON always has both")
          @RequestParam(required = false)
          String file) {
    checkFile(file);
    return json(id, "extfrag", ExtfragResponse::of);
  }

  @GetMapping(path = "/extfrag", produces = TEXT)
  @ApiResponse(
      responseCode = "200",
      content = @Content(mediaType = TEXT, schema = @Schema(implementation = String.class)))
  ResponseEntity<byte[]> extfragText(
      @PathVariable String id, @RequestParam(defaultValue = EXTFRAG_INDEX) String file) {
    checkFile(file);
    return file.equals(EXTFRAG_INDEX)
        ? text(id, EXTFRAG_INDEX, ProcFormat::extfragIndex)
        : text(id, UNUSABLE_INDEX, ProcFormat::unusableIndex);
  }

  private static void checkFile(String file) {
    if (file != null && !file.equals(EXTFRAG_INDEX) && !file.equals(UNUSABLE_INDEX)) {
      throw SimulatorException.badRequest(
          "file", "file must be extfrag_index or unusable_index, got '" + file + "'");
    }
  }
}
