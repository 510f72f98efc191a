package io.cvmsim.core.mm;

import static org.assertj.core.api.Assertions.assertThat;

import io.cvmsim.core.accept.UnacceptedMemory;
import io.cvmsim.core.accept.spi.AcceptCosts;
import io.cvmsim.core.accept.tdx.TdxPlatform;
import io.cvmsim.core.memory.ZoneType;
import io.cvmsim.core.validation.KernelFiles;
import io.cvmsim.core.validation.KernelRecording;
import io.cvmsim.corpus.BundledRecordings;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The kernel's watermark arithmetic (mm/page_alloc.c __setup_per_zone_wmarks(),
 * setup_per_zone_lowmem_reserve(), mm/khugepaged.c set_recommended_min_free_kbytes()) applied to a
 * recorded kernel's own managed pages gives that kernel's watermarks, protection and
 * min_free_kbytes exactly, for every bundled recording. The managed pages are those the kernel had
 * when it computed them: what zoneinfo shows after boot, less what it freed after its initcalls
 * (the initrd in the zone it lay in, the kernel image's init sections in the image's zone; dmesg
 * counts both).
 */
class RecordedWatermarksTest {

  static final BundledRecordings RECORDINGS =
      new BundledRecordings(RecordedWatermarksTest.class.getClassLoader());

  /**
   * An allocator whose zones have the recorded present pages and the managed pages the kernel had
   * during its initcalls.
   */
  private static PageAllocator zonesOf(KernelRecording r, List<KernelFiles.Zone> recorded) {
    PageAllocator a =
        new PageAllocator(
            KernelModel.ofLabel(r.model()),
            false,
            new UnacceptedMemory(
                null, new TdxPlatform(AcceptCosts.DEFAULTS), (p, t, s, e, o) -> {}),
            List.of(),
            2);
    for (KernelFiles.Zone z : recorded) {
      Zone zone = a.zones[ZoneType.valueOf(z.name().toUpperCase(java.util.Locale.ROOT)).ordinal()];
      zone.managedPages = z.managed();
      zone.presentPages = z.present();
    }
    KernelFiles.LateFrees late = KernelFiles.lateFrees(r.boot().get("dmesg"));
    long imageStart = KernelFiles.kernelImage(r.boot().get("iomem"))[0];
    a.zones[ZoneType.ofPfn(imageStart >>> 12).ordinal()].managedPages -= late.imageBytes() >>> 12;
    if (late.initrdStart() >= 0) {
      a.zones[ZoneType.ofPfn(late.initrdStart() >>> 12).ordinal()].managedPages -=
          late.initrdBytes() >>> 12;
    }
    return a;
  }

  private static long sysctl(KernelRecording r, String name) {
    return Long.parseLong(r.boot().get(name).trim());
  }

  @Test
  void watermarksAndProtection_fromTheRecordedManagedPages_areTheKernelsExactly() {
    assertThat(RECORDINGS.all()).isNotEmpty();
    for (KernelRecording r : RECORDINGS.all()) {
      List<KernelFiles.Zone> recorded = KernelFiles.zoneinfo(r.boot().get("zoneinfo"));
      PageAllocator a = zonesOf(r, recorded);
      a.sysctls.minFreeKbytes = sysctl(r, "min_free_kbytes");
      a.sysctls.watermarkScaleFactor = (int) sysctl(r, "watermark_scale_factor");
      a.watermarks.setupPerZoneWmarks();
      a.watermarks.setupPerZoneLowmemReserve();
      for (KernelFiles.Zone k : recorded) {
        Zone z = a.zones[ZoneType.valueOf(k.name().toUpperCase(java.util.Locale.ROOT)).ordinal()];
        String where = r.name() + " " + k.name();
        assertThat(k.boost()).as(where + " boost at boot").isZero();
        assertThat(z.watermark[0]).as(where + " min").isEqualTo(k.min());
        assertThat(z.watermark[1]).as(where + " low").isEqualTo(k.low());
        assertThat(z.watermark[2]).as(where + " high").isEqualTo(k.high());
        if (k.promo() >= 0) {
          assertThat(z.watermark[3]).as(where + " promo").isEqualTo(k.promo());
        }
        assertThat(z.lowmemReserve).as(where + " protection").containsExactly(k.protection());
      }
    }
  }

  @Test
  void khugepagedsMinFreeKbytes_fromTheRecordedZones_isTheKernels() {
    for (KernelRecording r : RECORDINGS.all()) {
      assertThat(r.thp()).isEqualTo("always");
      PageAllocator a = zonesOf(r, KernelFiles.zoneinfo(r.boot().get("zoneinfo")));
      a.watermarks.initPerZoneWmarkMin();
      a.watermarks.setRecommendedMinFreeKbytes();
      assertThat(a.sysctls.minFreeKbytes).as(r.name()).isEqualTo(sysctl(r, "min_free_kbytes"));
    }
  }

  @Test
  void theRecordedLowmemReserveRatios_areTheModels() {
    for (KernelRecording r : RECORDINGS.all()) {
      String[] ratios = r.boot().get("lowmem_reserve_ratio").trim().split("\\s+");
      for (int i = 0; i < ratios.length && i < ZoneType.COUNT; i++) {
        assertThat(ZoneType.values()[i].lowmemReserveRatio())
            .as(r.name() + " " + ZoneType.values()[i])
            .isEqualTo(Integer.parseInt(ratios[i]));
      }
    }
  }
}
