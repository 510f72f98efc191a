package io.cvmsim.core.mm;

import static org.assertj.core.api.Assertions.assertThat;

import io.cvmsim.core.accept.UnacceptedMemory;
import io.cvmsim.core.accept.spi.AcceptCosts;
import io.cvmsim.core.accept.tdx.TdxPlatform;
import io.cvmsim.core.memory.ZoneType;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Watermarks computed by hand for a fixed set of managed pages (kernel-behaviour.md §7). */
class WatermarksTest {

  /** An allocator whose zones manage exactly these pages (DMA, DMA32, Normal). */
  static PageAllocator allocator(KernelModel k, long dma, long dma32, long normal) {
    PageAllocator a =
        new PageAllocator(
            k,
            false,
            new UnacceptedMemory(
                null, new TdxPlatform(AcceptCosts.DEFAULTS), (p, t, s, e, o) -> {}),
            List.of(
                new long[] {1, 4096},
                new long[] {4096, 1L << 20},
                new long[] {1L << 20, (1L << 20) + normal}),
            2);
    a.zones[0].managedPages = dma;
    a.zones[1].managedPages = dma32;
    a.zones[2].managedPages = normal;
    return a;
  }

  @Test
  void minFreeKbytes_isIntSqrtOfSixteenTimesLowmem_andSplitByManagedShare() {
    PageAllocator a = allocator(KernelModel.V6_5, 3840, 444_991, 500_000);
    a.watermarks.initPerZoneWmarkMin();
    // lowmem = (3840 + 444991 + 500000) pages * 4 kB = 3795324 kB; int_sqrt(60725184) = 7792
    assertThat(a.sysctls.minFreeKbytes).isEqualTo(7792);
    long pagesMin = 7792 / 4; // 1948
    long total = 3840 + 444_991 + 500_000;
    assertThat(a.zones[0].watermark[0]).isEqualTo(pagesMin * 3840 / total); // 7
    assertThat(a.zones[2].watermark[0]).isEqualTo(pagesMin * 500_000 / total); // 1026
    // delta = max(tmp >> 2, managed * 10 / 10000) for Normal: max(256, 500) = 500
    assertThat(a.zones[2].watermark[1]).isEqualTo(1026 + 500);
    assertThat(a.zones[2].watermark[2]).isEqualTo(1026 + 1000);
    assertThat(a.zones[2].watermark[3]).isEqualTo(1026 + 1500);
    // DMA: tmp = 7, delta = max(1, mult_frac(3840, 10, 10000) = 3) = 3
    assertThat(a.zones[0].watermark).containsExactly(7, 10, 13, 16);
  }

  @Test
  void lowmemReserve_andTotalreserve() {
    PageAllocator a = allocator(KernelModel.V6_5, 3840, 444_991, 500_000);
    a.watermarks.initPerZoneWmarkMin();
    // DMA: (DMA32 + Normal) / 256 etc.; Normal protects Movable with managed(Movable) / 32 = 0
    assertThat(a.zones[0].lowmemReserve)
        .containsExactly(
            0,
            444_991 / 256,
            (444_991 + 500_000) / 256,
            (444_991 + 500_000) / 256,
            (444_991 + 500_000) / 256);
    assertThat(a.zones[1].lowmemReserve)
        .containsExactly(0, 0, 500_000 / 256, 500_000 / 256, 500_000 / 256);
    assertThat(a.zones[2].lowmemReserve).containsExactly(0, 0, 0, 0, 0);
    long expected =
        Math.min(3840, (944_991 / 256) + a.zones[0].watermark[2])
            + (500_000 / 256 + a.zones[1].watermark[2])
            + a.zones[2].watermark[2];
    assertThat(a.watermarks.totalReservePages).isEqualTo(expected);
  }

  @Test
  void mainline_protectsAgainstEmptyUpperZonesToo_andClampsMovableMin() {
    // eae116d1f044 reverted 96a5c186efff, which had given empty upper zones a reserve of 0
    PageAllocator a = allocator(KernelModel.MAINLINE, 3840, 444_991, 500_000);
    a.watermarks.initPerZoneWmarkMin();
    assertThat(a.zones[1].lowmemReserve)
        .containsExactly(0, 0, 500_000 / 256, 500_000 / 256, 500_000 / 256);
    Zone movable = a.zones[ZoneType.MOVABLE.ordinal()];
    assertThat(movable.watermark).containsExactly(32, 32, 32, 32);
  }

  @Test
  void minFreeKbytes_isClampedTo128And262144() {
    assertThat(clampedMin(100)).isEqualTo(128);
    assertThat(clampedMin(2_000_000_000L)).isEqualTo(262144);
  }

  private static long clampedMin(long pages) {
    PageAllocator a = allocator(KernelModel.V6_5, 0, 0, pages);
    a.watermarks.initPerZoneWmarkMin();
    return a.sysctls.minFreeKbytes;
  }

  @Test
  void khugepaged_raisesMinFreeKbytes_toItsRecommendation() {
    PageAllocator a = allocator(KernelModel.V6_5, 3840, 444_991, 3_000_000);
    a.zones[0].presentPages = 3999;
    a.zones[1].presentPages = 520_192;
    a.zones[2].presentPages = 3_000_000;
    a.watermarks.initPerZoneWmarkMin();
    a.watermarks.setRecommendedMinFreeKbytes();
    // 3 zones: 512*3*2 + 512*3*9 = 16896 pages = 67584 kB, the value distributions show
    assertThat(a.sysctls.minFreeKbytes).isEqualTo(67584);
  }

  @Test
  void intSqrt_and_multFrac() {
    assertThat(Watermarks.intSqrt(0)).isZero();
    assertThat(Watermarks.intSqrt(15)).isEqualTo(3);
    assertThat(Watermarks.intSqrt(16)).isEqualTo(4);
    assertThat(Watermarks.intSqrt(Long.MAX_VALUE)).isEqualTo(3037000499L);
    assertThat(Watermarks.multFrac(12345, 10, 10000)).isEqualTo(12);
  }
}
