package io.cvmsim.core.accept;

import static io.cvmsim.core.memory.Sizes.GIB;
import static io.cvmsim.core.memory.Sizes.MIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cvmsim.core.accept.none.NonePlatform;
import io.cvmsim.core.accept.snp.SnpPlatform;
import io.cvmsim.core.accept.spi.AcceptCosts;
import io.cvmsim.core.accept.spi.AcceptOperations;
import io.cvmsim.core.accept.spi.AcceptPhase;
import io.cvmsim.core.accept.tdx.TdxPlatform;
import io.cvmsim.core.memory.PageSize;
import org.junit.jupiter.api.Test;

class PlatformTest {

  /** A host that backs private memory with huge pages, so every size the kernel tries succeeds. */
  static final AcceptCosts HUGE_HOST = AcceptCosts.DEFAULTS.withHostMaxPageSize(PageSize.SIZE_1G);

  final TdxPlatform tdx = new TdxPlatform(HUGE_HOST);

  @Test
  void theDefaultHost_backsPrivateMemoryAt4k_asUpstreamKvm() {
    assertThat(AcceptCosts.DEFAULTS.tdxHostMaxPageSize()).isEqualTo(PageSize.SIZE_4K);
    assertThat(AcceptCosts.DEFAULTS.snpHostMaxPageSize()).isEqualTo(PageSize.SIZE_4K);
  }

  @Test
  void tdx_tries1gThen2mThen4k_byAlignmentAndLength() {
    // [1G - 4K, 3G + 2M + 4K): 1 x 4K head, 2 x 1G, 1 x 2M, 1 x 4K tail
    AcceptOperations o = tdx.accept(GIB - 4096, 3 * GIB + 2 * MIB + 4096, AcceptPhase.KERNEL);
    assertThat(o.ops4k()).isEqualTo(2);
    assertThat(o.ops1g()).isEqualTo(2);
    assertThat(o.ops2m()).isEqualTo(1);
    assertThat(o.acceptedBytes()).isEqualTo(2 * GIB + 2 * MIB + 8192);
    assertThat(o.hypervisorExits()).isEqualTo(5);
    // 2.2 µs per TDCALL plus 0.3 µs per 4 KiB cleared
    assertThat(o.simulatedNanos()).isEqualTo(5 * 2200 + (o.acceptedBytes() / 4096) * 300);
  }

  @Test
  void tdx_withA4kHost_fallsBackAfterFailedLargerAttempts() {
    TdxPlatform small = new TdxPlatform(AcceptCosts.DEFAULTS.withHostMaxPageSize(PageSize.SIZE_4K));
    AcceptOperations o = small.accept(GIB, GIB + 4 * MIB, AcceptPhase.KERNEL);
    assertThat(o.ops4k()).isEqualTo(1024);
    assertThat(o.failed2m()).isEqualTo(2);
    assertThat(o.failed1g()).isZero();
    assertThat(o.hypervisorExits()).isEqualTo(1026);
    AcceptOperations g = small.accept(0, 2 * GIB, AcceptPhase.KERNEL);
    assertThat(g.failed1g()).isEqualTo(2);
    assertThat(g.failed2m()).isEqualTo(1024);
    assertThat(g.ops4k()).isEqualTo(2 * GIB / 4096);
  }

  @Test
  void snp_uses2mWhereAligned_batchesPageStateChanges_andTheStubGoesPageByPage() {
    SnpPlatform snp = new SnpPlatform(HUGE_HOST);
    AcceptOperations k = snp.accept(2 * MIB - 8192, 6 * MIB, AcceptPhase.KERNEL);
    assertThat(k.ops4k()).isEqualTo(2);
    assertThat(k.ops2m()).isEqualTo(2);
    assertThat(k.hypervisorExits()).isEqualTo(1);
    AcceptOperations big = snp.accept(0, 1024 * MIB, AcceptPhase.KERNEL);
    assertThat(big.ops2m()).isEqualTo(512);
    assertThat(big.hypervisorExits()).isEqualTo(8); // 8 x 64 entries (69dcb1e3bbbe)
    AcceptOperations stub = snp.accept(0, 4 * MIB, AcceptPhase.STUB);
    assertThat(stub.ops4k()).isEqualTo(1024);
    assertThat(stub.hypervisorExits()).isEqualTo(1024);
  }

  @Test
  void snp_on4kRmpEntries_redoesA2mPvalidateAs512() {
    SnpPlatform snp = new SnpPlatform(AcceptCosts.DEFAULTS.withHostMaxPageSize(PageSize.SIZE_4K));
    AcceptOperations o = snp.accept(0, 2 * MIB, AcceptPhase.KERNEL);
    assertThat(o.failed2m()).isEqualTo(1);
    assertThat(o.ops4k()).isEqualTo(512);
  }

  @Test
  void none_cannotAcceptAnything() {
    assertThatThrownBy(() -> new NonePlatform().accept(0, 4096, AcceptPhase.KERNEL))
        .hasMessageContaining("unknown platform");
  }
}
