package io.cvmsim.core.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** GFP masks as include/linux/gfp_types.h and gfp_zone()/gfp_migratetype() define them. */
class GfpTest {

  @Test
  void namedMasks_haveTheKernelsZoneAndMigrateType() {
    assertThat(Gfp.GFP_KERNEL.highestZone()).isEqualTo(ZoneType.NORMAL);
    assertThat(Gfp.GFP_HIGHUSER_MOVABLE.highestZone()).isEqualTo(ZoneType.MOVABLE);
    assertThat(Gfp.GFP_HIGHUSER_MOVABLE.migrateType()).isEqualTo(MigrateType.MOVABLE);
    assertThat(Gfp.GFP_HIGHUSER.highestZone()).isEqualTo(ZoneType.NORMAL);
    assertThat(Gfp.GFP_DMA32.highestZone()).isEqualTo(ZoneType.DMA32);
    assertThat(Gfp.GFP_DMA.highestZone()).isEqualTo(ZoneType.DMA);
    assertThat(Gfp.GFP_KERNEL_RECLAIMABLE.migrateType()).isEqualTo(MigrateType.RECLAIMABLE);
    assertThat(Gfp.GFP_ATOMIC.canDirectReclaim()).isFalse();
    assertThat(Gfp.GFP_ATOMIC.kswapd()).isTrue();
    assertThat(Gfp.GFP_TRANSHUGE_LIGHT.kswapd()).isFalse();
    assertThat(Gfp.GFP_TRANSHUGE.canDirectReclaim()).isTrue();
  }

  @Test
  void tracedMasks_parseToTheirBits_andNamedOnesToTheConstant() {
    assertThat(Gfp.parse("GFP_KERNEL")).isSameAs(Gfp.GFP_KERNEL);
    assertThat(Gfp.parse("GFP_HIGHUSER_MOVABLE|__GFP_COMP").migrateType())
        .isEqualTo(MigrateType.MOVABLE);
    Gfp readahead =
        Gfp.parse(
            "GFP_NOFS|__GFP_HIGHMEM|__GFP_NOWARN|__GFP_NORETRY|__GFP_COMP|__GFP_HARDWALL"
                + "|__GFP_MOVABLE");
    assertThat(readahead.highestZone()).isEqualTo(ZoneType.MOVABLE);
    assertThat(readahead.noRetry()).isTrue();
    assertThat(readahead.fs()).isFalse();
    assertThat(Gfp.parse("GFP_NOWAIT|__GFP_NOWARN").canDirectReclaim()).isFalse();
    assertThat(Gfp.parse("none").bits()).isZero();
    assertThat(Gfp.parse("GFP_KERNEL|__GFP_SKIP_KASAN")).isEqualTo(Gfp.GFP_KERNEL);
    assertThat(Gfp.parse(Gfp.parse("GFP_USER|__GFP_ZERO").toString()))
        .isEqualTo(Gfp.parse("GFP_USER|__GFP_ZERO"));
  }

  @Test
  void unknownNames_areRefused() {
    assertThatThrownBy(() -> Gfp.parse("GFP_BOGUS")).hasMessageContaining("GFP_BOGUS");
    assertThatThrownBy(() -> Gfp.ofName("GFP_KERNEL_ACCOUNT"))
        .hasMessageContaining("use one of GFP_KERNEL");
    assertThat(Gfp.ofName("kernel")).isSameAs(Gfp.GFP_KERNEL);
  }
}
