package io.cvmsim.core.vm;

import io.cvmsim.core.firmware.EfiMemoryMap;
import io.cvmsim.core.memory.PageSize;
import io.cvmsim.core.memory.Sizes;
import java.util.ArrayList;
import java.util.List;

/**
 * Models how x86-64 maps RAM into the kernel's direct map (arch/x86/mm/init.c {@code
 * split_mem_range()}): each RAM range at the largest pages its alignment allows, the first 1 MiB at
 * 4K. What /proc/meminfo prints as DirectMap4k, DirectMap2M and DirectMap1G.
 */
final class DirectMap {

  private DirectMap() {}

  /** Returns the direct map's bytes at 4K, 2M and 1G. */
  static long[] of(EfiMemoryMap map) {
    long[] out = new long[3];
    for (long[] r : ramRanges(map)) {
      split(r[0], r[1], out);
    }
    return out;
  }

  private static List<long[]> ramRanges(EfiMemoryMap map) {
    List<long[]> ram = new ArrayList<>();
    long prevEnd = -1;
    for (var d : map.descriptors()) {
      if (!d.type().isUsableRam()) {
        continue;
      }
      if (d.physStart() == prevEnd) {
        ram.get(ram.size() - 1)[1] = d.end();
      } else {
        ram.add(new long[] {d.physStart(), d.end()});
      }
      prevEnd = d.end();
    }
    return ram;
  }

  private static void split(long s, long e, long[] out) {
    long twoM = PageSize.SIZE_2M.bytes();
    long oneG = PageSize.SIZE_1G.bytes();
    if (s < Sizes.MIB) {
      long lowEnd = Math.min(e, Sizes.MIB);
      out[0] += lowEnd - s;
      s = lowEnd;
    }
    long a = Math.min(Sizes.alignUp(s, twoM), e);
    out[0] += a - s;
    long g = Math.min(Sizes.alignUp(a, oneG), Sizes.alignDown(e, twoM));
    if (g > a) {
      out[1] += g - a;
    } else {
      g = a;
    }
    long gEnd = Math.max(g, Sizes.alignDown(e, oneG));
    out[2] += gEnd - g;
    long mEnd = Math.max(gEnd, Sizes.alignDown(e, twoM));
    out[1] += mEnd - gEnd;
    out[0] += e - mEnd;
  }
}
