package io.cvmsim.api.memory;

/**
 * The answer to {@code POST /vms/{id}/allocations}, in the shape the request's {@code result}
 * picks. Each is written from the core's primitive batch: no object per page on the way.
 */
sealed interface AllocationAnswer
    permits AllocationsResponse, AllocatedPfnsResponse, AllocationSummaryResponse {

  /** The shapes an answer can take. */
  enum Form {
    /** One object per block: pfn, order, zone, migrate type (the default). */
    BLOCKS,
    /** The head pfns only, with the order once. */
    PFNS,
    /** Counts only: blocks allocated, per zone. */
    SUMMARY;

    /** Returns the form named {@code name}, in any case. */
    static Form ofName(String name) {
      for (Form f : values()) {
        if (f.name().equalsIgnoreCase(name)) {
          return f;
        }
      }
      throw new IllegalArgumentException("'" + name + "' is not one of blocks, pfns, summary");
    }
  }
}
