package io.cvmsim.api.memory;

import io.cvmsim.api.web.Params;
import io.cvmsim.config.CvmsimProperties;
import io.cvmsim.core.SimulatorException;
import io.cvmsim.core.memory.Gfp;
import io.cvmsim.core.vm.VmRegistry;
import io.cvmsim.core.vm.VmViews;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Page allocations and frees through the guest's buddy allocator. */
@RestController
@RequestMapping(
    path = "/api/v1/vms/{id}",
    produces = "application/json",
    consumes = "application/json")
@Tag(name = "Memory", description = "The guest's page allocator and its /proc and debugfs views")
class AllocationController {

  private static final String BLOCKS_EXAMPLE =
      "{\"allocations\":[{\"pfn\":1048576,\"order\":0,\"zone\":\"Normal\","
          + "\"migratetype\":\"Movable\"},{\"pfn\":1048577,\"order\":0,\"zone\":\"Normal\","
          + "\"migratetype\":\"Movable\"}],\"failed\":0,\"batch\":\"17\"}";
  private static final String PFNS_EXAMPLE =
      "{\"pfns\":[1048576,1048577],\"order\":0,\"failed\":0,\"batch\":\"17\"}";
  private static final String SUMMARY_EXAMPLE =
      "{\"allocated\":1000,\"failed\":0,\"batch\":\"17\",\"zones\":{\"Normal\":1000}}";

  private final VmRegistry registry;
  private final int maxBatch;

  AllocationController(VmRegistry registry, CvmsimProperties properties) {
    this.registry = registry;
    this.maxBatch = properties.limits().maxBatch();
  }

  @PostMapping("/allocations")
  @ResponseStatus(HttpStatus.CREATED)
  @Operation(
      summary = "Allocate pages",
      description =
          "count blocks of 2^order pages with the GFP mask's zone and migrate type, accepting"
              + " memory on demand under the VM's kernel rules. A request that cannot be met in"
              + " full returns what it got and counts the rest in failed. The answer's shape is"
              + " picked by result: blocks (the default; one object per block), pfns (the head"
              + " pfns and the order once) or summary (counts per zone). Every answer names its"
              + " batch, which POST /frees {\"batch\": ...} frees; a VM remembers its latest"
              + " cvmsim.limits.max-batches batches (within cvmsim.limits.max-batch-bytes). 409"
              + " before the kernel runs; 413 for count over cvmsim.limits.max-batch.")
  @io.swagger.v3.oas.annotations.parameters.RequestBody(
      content =
          @Content(
              schema = @Schema(implementation = AllocateRequest.class),
              examples = {
                @ExampleObject(
                    name = "blocks",
                    summary = "Two movable pages, one object each (the default shape)",
                    value = "{\"order\":0,\"count\":2,\"gfp\":\"GFP_HIGHUSER_MOVABLE\"}"),
                @ExampleObject(
                    name = "pfns",
                    summary = "Two movable pages, head pfns only",
                    value =
                        "{\"order\":0,\"count\":2,\"gfp\":\"GFP_HIGHUSER_MOVABLE\","
                            + "\"result\":\"pfns\"}"),
                @ExampleObject(
                    name = "summary",
                    summary = "1000 movable pages, counted; free them by batch",
                    value =
                        "{\"order\":0,\"count\":1000,\"gfp\":\"GFP_HIGHUSER_MOVABLE\","
                            + "\"result\":\"summary\"}")
              }))
  @ApiResponse(
      responseCode = "201",
      description = "What the request got, in the shape result picks, with its batch",
      content =
          @Content(
              mediaType = "application/json",
              schema =
                  @Schema(
                      oneOf = {
                        AllocationsResponse.class,
                        AllocatedPfnsResponse.class,
                        AllocationSummaryResponse.class
                      }),
              examples = {
                @ExampleObject(name = "blocks", value = BLOCKS_EXAMPLE),
                @ExampleObject(name = "pfns", value = PFNS_EXAMPLE),
                @ExampleObject(name = "summary", value = SUMMARY_EXAMPLE)
              }))
  AllocationAnswer allocate(
      @Parameter(description = "VM id or name", example = "tdx-64g") @PathVariable String id,
      @RequestBody AllocateRequest request) {
    int order = request.order() == null ? 0 : request.order();
    int count = request.count() == null ? 1 : request.count();
    if (count < 1) {
      throw SimulatorException.badRequest(
          "count", "count must be between 1 and " + maxBatch + ", got " + count);
    }
    if (count > maxBatch) {
      throw SimulatorException.tooLarge(
          "count", "count " + count + " is over cvmsim.limits.max-batch (" + maxBatch + ")");
    }
    Gfp gfp =
        request.gfp() == null ? Gfp.GFP_KERNEL : Params.parse("gfp", request.gfp(), Gfp::ofName);
    AllocationAnswer.Form form =
        request.result() == null
            ? AllocationAnswer.Form.BLOCKS
            : Params.parse("result", request.result(), AllocationAnswer.Form::ofName);
    VmViews.Batch batch = registry.get(id).allocate(gfp, order, count);
    return switch (form) {
      case BLOCKS -> AllocationsResponse.of(batch);
      case PFNS -> AllocatedPfnsResponse.of(batch);
      case SUMMARY -> AllocationSummaryResponse.of(batch);
    };
  }

  @PostMapping("/frees")
  @Operation(
      summary = "Free allocations",
      description =
          "Frees by head pfn or by batch. {\"pfns\": [...]}: the allocations whose head pfns are"
              + " given, all of them or none (422 naming the first pfn that is not the head of a"
              + " live allocation or appears twice); 413 for more pfns than"
              + " cvmsim.limits.max-batch. {\"batch\": \"...\"}: every block of that batch that is"
              + " still allocated (blocks freed by pfn since are skipped), and the batch is"
              + " forgotten; 404 for a batch the VM does not remember (freed, or older than its"
              + " latest cvmsim.limits.max-batches).")
  @io.swagger.v3.oas.annotations.parameters.RequestBody(
      content =
          @Content(
              schema = @Schema(implementation = FreeRequest.class),
              examples = {
                @ExampleObject(name = "pfns", value = "{\"pfns\":[1048576,1048577]}"),
                @ExampleObject(name = "batch", value = "{\"batch\":\"17\"}")
              }))
  @ApiResponse(responseCode = "200", description = "How many blocks were freed")
  FreedResponse free(
      @Parameter(description = "VM id or name", example = "tdx-64g") @PathVariable String id,
      @RequestBody FreeRequest request) {
    if (request.batch() != null) {
      if (request.pfns() != null) {
        throw SimulatorException.badRequest("batch", "give pfns or batch, not both");
      }
      return new FreedResponse(registry.get(id).freeBatch(batchId(request.batch())));
    }
    if (request.pfns() == null) {
      throw SimulatorException.badRequest("pfns", "pfns or batch is required");
    }
    long[] pfns = request.pfns();
    if (pfns.length > maxBatch) {
      throw SimulatorException.tooLarge(
          "pfns", pfns.length + " pfns are over cvmsim.limits.max-batch (" + maxBatch + ")");
    }
    return new FreedResponse(registry.get(id).free(pfns));
  }

  /** Returns the id in a batch name: the decimal number an allocation answer gave. */
  private static long batchId(String batch) {
    if (batch.isEmpty() || batch.length() > 18 || !batch.chars().allMatch(Character::isDigit)) {
      throw SimulatorException.badRequest(
          "batch",
          "batch '" + batch + "' is not a batch id: give the number an allocation answer named");
    }
    return Long.parseLong(batch);
  }
}
