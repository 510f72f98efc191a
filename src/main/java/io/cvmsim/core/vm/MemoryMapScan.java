package io.cvmsim.core.vm;

import io.cvmsim.core.accept.UnacceptedMemory;
import io.cvmsim.core.firmware.EfiMemoryMap;
import io.cvmsim.core.firmware.UnacceptedTable;
import io.cvmsim.core.memory.MigrateType;
import io.cvmsim.core.memory.Sizes;
import io.cvmsim.core.mm.Memblock;
import io.cvmsim.core.mm.PageAllocator;
import io.cvmsim.core.stats.MapState;
import io.cvmsim.core.stats.MemoryMapView;

/**
 * Summarises what every byte of a guest's physical address space is, layer by layer from the
 * firmware's map up to the allocator's blocks, into the buckets of a {@link MemoryMapView}. Its
 * cost follows the structures, not the guest's size: map descriptors, memblock reservations, bitmap
 * runs, parked runs, free blocks and allocations.
 */
final class MemoryMapScan {

  private MemoryMapScan() {}

  /**
   * Returns {@code [from, to)} in {@code buckets} buckets; {@code memblock}, {@code unaccepted} and
   * {@code allocator} are null for a guest that has not booted that far.
   */
  static MemoryMapView scan(
      EfiMemoryMap map,
      Memblock memblock,
      UnacceptedMemory unaccepted,
      PageAllocator allocator,
      long from,
      long to,
      int buckets) {
    var b = new MemoryMapView.Builder(from, to, buckets);
    for (var d : map.descriptors()) {
      if (d.type().isUsableRam()) {
        b.addRam(d.physStart(), d.end());
      } else {
        b.add(d.physStart(), d.end(), MapState.RESERVED);
      }
    }
    if (memblock != null) {
      for (long[] r : memblock.reservedRanges()) {
        b.add(r[0], r[1], MapState.KERNEL);
      }
    }
    if (unaccepted != null && unaccepted.hasTable()) {
      UnacceptedTable t = unaccepted.table();
      for (long[] r : unaccepted.unacceptedRuns()) {
        b.add(
            t.physBase() + r[0] * t.unitSize(),
            t.physBase() + r[1] * t.unitSize(),
            MapState.UNACCEPTED);
      }
    }
    if (allocator != null) {
      allocator.forEachParkedRun(
          (pfn, chunks, zone) ->
              b.add(
                  Sizes.phys(pfn),
                  Sizes.phys(pfn + ((long) chunks << Sizes.MAX_ORDER)),
                  MapState.PARKED));
      allocator.forEachFreeBlock(
          (pfn, order, mt) ->
              b.add(Sizes.phys(pfn), Sizes.phys(pfn + (1L << order)), MapState.FREE));
      allocator.forEachAllocation(
          (pfn, order, mt) -> b.add(Sizes.phys(pfn), Sizes.phys(pfn + (1L << order)), stateOf(mt)));
    }
    // RAM nothing else claims: before the kernel, accepted RAM is free; after, it is memory
    // the kernel never handed to the allocator
    b.classifyRest(allocator == null ? MapState.FREE : MapState.KERNEL, allocator != null);
    return b.build();
  }

  private static MapState stateOf(int mt) {
    if (mt == MigrateType.MOVABLE.ordinal()) {
      return MapState.MOVABLE;
    }
    return mt == MigrateType.RECLAIMABLE.ordinal() ? MapState.RECLAIMABLE : MapState.UNMOVABLE;
  }
}
