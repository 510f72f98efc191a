package io.cvmsim.api.memory;

import io.cvmsim.api.web.Params;
import io.cvmsim.config.CvmsimProperties;
import io.cvmsim.core.SimulatorException;
import io.cvmsim.core.memory.Gfp;
import io.cvmsim.core.vm.VmRegistry;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
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
              + " full returns what it got and counts the rest in failed. 409 before the kernel"
              + " runs; 413 for count over cvmsim.limits.max-batch.")
  @ApiResponse(responseCode = "201", description = "The blocks handed out")
  AllocationsResponse allocate(
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
    return AllocationsResponse.of(registry.get(id).allocate(gfp, order, count));
  }

  @PostMapping("/frees")
  @Operation(
      summary = "Free allocations",
      description =
          "Frees the allocations whose head pfns are given: all of them, or none (422 naming the"
              + " first pfn that is not the head of a live allocation or appears twice). 413 for"
              + " more pfns than cvmsim.limits.max-batch.")
  FreedResponse free(
      @Parameter(description = "VM id or name", example = "tdx-64g") @PathVariable String id,
      @RequestBody FreeRequest request) {
    long[] pfns = Params.required("pfns", request.pfns());
    if (pfns.length > maxBatch) {
      throw SimulatorException.tooLarge(
          "pfns", pfns.length + " pfns are over cvmsim.limits.max-batch (" + maxBatch + ")");
    }
    return new FreedResponse(registry.get(id).free(pfns));
  }
}
