package io.cvmsim.core.vm;

import io.cvmsim.core.memory.Gfp;
import io.cvmsim.core.memory.MappingKind;
import io.cvmsim.core.memory.WatermarkLevel;
import io.cvmsim.core.mm.PageAllocator;

/**
 * What a workload may do to a booted guest's memory while it holds the guest's lock (see {@link
 * GuestVm#withMemory}): allocate and free pages as a kernel caller does, and read the counters a
 * caller could read. Valid only inside the call that handed it out.
 */
public interface GuestMemory {

  /** Returns the guest's CPUs: callers name one of 0..cpus()-1 for each operation. */
  int cpus();

  /**
   * Models {@code alloc_pages(gfp, order)} on CPU {@code cpu}: returns the allocation's handle, or
   * -1 if it failed. The handle is the head pfn the block got; compaction may migrate a movable
   * block later, and the handle keeps naming it ({@link #headPfn} says where it is now).
   */
  long alloc(int cpu, Gfp gfp, int order);

  /**
   * Models {@code __free_pages()} on CPU {@code cpu} of the allocation named by {@code handle},
   * wherever compaction has moved it; returns its order.
   *
   * @throws IllegalArgumentException if {@code handle} names no live allocation
   */
  int free(int cpu, long handle);

  /** Returns the order of the live allocation named by {@code handle}, or -1. */
  int orderOf(long handle);

  /** Returns the head pfn of the live allocation named by {@code handle} now, or -1. */
  long headPfn(long handle);

  /**
   * Turns the guest's own compaction (direct compaction and kcompactd) on or off; returns whether
   * it was on. A replay of a kernel's trace turns it off while it applies the trace's events: the
   * trace already carries the kernel's compaction.
   */
  boolean setCompaction(boolean enabled);

  /** Returns NR_FREE_PAGES over all zones. */
  long freePages();

  /** Returns the managed pages (MemTotal). */
  long managedPages();

  /** Returns the sum over all zones of a watermark, boost included. */
  long watermarkPages(WatermarkLevel level);

  /** Returns the number of live allocations. */
  long liveAllocations();

  /**
   * Replays a traced {@code mm_vmscan_kswapd_wake}: kswapd's runs and reclaim come from the trace
   * from now on, and this one begins.
   */
  void kswapdWakeFromTrace();

  /** Replays a traced {@code mm_vmscan_kswapd_sleep}: kswapd's run ends and it sleeps. */
  void kswapdSleepFromTrace();

  /** Creates an empty page cache mapping ({@link PageAllocator#createMapping}); returns its id. */
  int createMapping(MappingKind kind);

  /** Adds a page to a mapping on {@code cpu} ({@link PageAllocator#addToMapping}). */
  long addToMapping(int cpu, int mapping, int index, Gfp gfp, boolean dirty);

  /** Reads or writes a cached page ({@link PageAllocator#touchMapping}); returns whether cached. */
  boolean touchMapping(int mapping, int index, boolean write);

  /** Removes a page from a mapping ({@link PageAllocator#removeFromMapping}). */
  boolean removeFromMapping(int cpu, int mapping, int index);

  /** Deletes a mapping and frees its pages ({@link PageAllocator#deleteMapping}). */
  void deleteMapping(int cpu, int mapping);

  /** Returns the pages a mapping holds now ({@link PageAllocator#mappingPages}). */
  long mappingPages(int mapping);
}
