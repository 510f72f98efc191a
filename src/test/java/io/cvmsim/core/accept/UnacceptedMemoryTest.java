package io.cvmsim.core.accept;

import static io.cvmsim.core.memory.Sizes.MIB;
import static org.assertj.core.api.Assertions.assertThat;

import io.cvmsim.core.accept.tdx.TdxPlatform;
import io.cvmsim.core.firmware.UnacceptedTable;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hand-worked cases for accept_memory() and range_contains_unaccepted_memory(). */
class UnacceptedMemoryTest {

  private static final long U = 2 * MIB;
  private static final long BASE = 1024 * MIB;

  /** A table at BASE with units [0, 16) unaccepted (and capacity 64 units). */
  static UnacceptedMemory memory() {
    UnacceptedTable t = new UnacceptedTable(U, BASE, 8);
    t.bitmap().set(0, 16);
    return new UnacceptedMemory(t, new TdxPlatform(PlatformTest.HUGE_HOST), (p, tr, s, e, o) -> {});
  }

  @Test
  void alignedEnd_alsoAcceptsTheGuardUnit() {
    UnacceptedMemory m = memory();
    List<AcceptedRange> r = m.acceptMemory(BASE, BASE + 4 * MIB, AcceptTrigger.EXPLICIT);
    assertThat(r).hasSize(1);
    assertThat(r.get(0).start()).isEqualTo(BASE);
    assertThat(r.get(0).end()).isEqualTo(BASE + 6 * MIB);
    assertThat(r.get(0).operations().ops2m()).isEqualTo(3);
  }

  @Test
  void unalignedEnd_roundsUpWithoutGuard() {
    UnacceptedMemory m = memory();
    List<AcceptedRange> r = m.acceptMemory(BASE + 4096, BASE + 3 * MIB, AcceptTrigger.EXPLICIT);
    assertThat(r.get(0).start()).isEqualTo(BASE);
    assertThat(r.get(0).end()).isEqualTo(BASE + 4 * MIB);
  }

  @Test
  void startBelowBase_isClipped_andEndEqualToBase_stillAcceptsUnitZero() {
    UnacceptedMemory m = memory();
    assertThat(m.acceptMemory(0, BASE - 4096, AcceptTrigger.EXPLICIT)).isEmpty();
    List<AcceptedRange> r = m.acceptMemory(0, BASE, AcceptTrigger.EXPLICIT);
    assertThat(r).hasSize(1);
    assertThat(r.get(0).start()).isEqualTo(BASE);
    assertThat(r.get(0).end()).isEqualTo(BASE + U);
  }

  @Test
  void endBeyondTheBitmap_isClamped() {
    UnacceptedMemory m = memory();
    List<AcceptedRange> r = m.acceptMemory(BASE + 10 * U, BASE + 1000 * U, AcceptTrigger.EXPLICIT);
    assertThat(r.get(0).start()).isEqualTo(BASE + 10 * U);
    assertThat(r.get(0).end()).isEqualTo(BASE + 16 * U);
    assertThat(m.unacceptedBytes()).isEqualTo(10 * U);
  }

  @Test
  void acceptingTwice_doesNothingTheSecondTime() {
    UnacceptedMemory m = memory();
    m.acceptMemory(BASE, BASE + U + 4096, AcceptTrigger.EXPLICIT);
    assertThat(m.acceptMemory(BASE, BASE + U + 4096, AcceptTrigger.EXPLICIT)).isEmpty();
  }

  @Test
  void runsAreSplitAroundAcceptedUnits() {
    UnacceptedMemory m = memory();
    m.acceptMemory(BASE + 4 * U, BASE + 5 * U - 4096, AcceptTrigger.EXPLICIT);
    List<AcceptedRange> r = m.acceptMemory(BASE, BASE + 8 * U - 4096, AcceptTrigger.EXPLICIT);
    assertThat(r).extracting(AcceptedRange::start).containsExactly(BASE, BASE + 5 * U);
    assertThat(r).extracting(AcceptedRange::end).containsExactly(BASE + 4 * U, BASE + 8 * U);
  }

  @Test
  void contains_withUnalignedStart_skipsTheLastUnit_likeTheKernel() {
    UnacceptedTable t = new UnacceptedTable(U, BASE, 8);
    t.bitmap().set(1, 2);
    UnacceptedMemory m =
        new UnacceptedMemory(t, new TdxPlatform(PlatformTest.HUGE_HOST), (p, tr, s, e, o) -> {});
    // [base+1M, base+3M) tests only bit 0
    assertThat(m.rangeContainsUnacceptedMemory(BASE + MIB, BASE + 3 * MIB)).isFalse();
    // accept_memory on the same range touches bits 0 and 1
    assertThat(m.acceptMemory(BASE + MIB, BASE + 3 * MIB, AcceptTrigger.EXPLICIT)).hasSize(1);
  }

  @Test
  void lastPageOfAUnit_countsAsUnaccepted_whenTheNextUnitIs() {
    UnacceptedTable t = new UnacceptedTable(U, BASE, 8);
    t.bitmap().set(1, 2);
    UnacceptedMemory m =
        new UnacceptedMemory(t, new TdxPlatform(PlatformTest.HUGE_HOST), (p, tr, s, e, o) -> {});
    long lastPfnOfUnit0 = (BASE + U) / 4096 - 1;
    assertThat(m.pfnIsUnacceptedMemory(lastPfnOfUnit0)).isTrue();
    assertThat(m.pfnIsUnacceptedMemory(lastPfnOfUnit0 - 1)).isFalse();
  }

  @Test
  void noTable_everythingIsAccepted() {
    UnacceptedMemory m =
        new UnacceptedMemory(null, new TdxPlatform(PlatformTest.HUGE_HOST), (p, tr, s, e, o) -> {});
    assertThat(m.rangeContainsUnacceptedMemory(0, 1L << 40)).isFalse();
    assertThat(m.acceptMemory(0, 1L << 40, AcceptTrigger.EXPLICIT)).isEmpty();
  }

  @Test
  void earlyAccept_hasNoGuardUnit() {
    UnacceptedMemory m = memory();
    var r =
        m.acceptMemoryEarly(
            BASE,
            BASE + 4 * MIB,
            io.cvmsim.core.accept.spi.AcceptPhase.KERNEL,
            AcceptTrigger.MEMBLOCK);
    assertThat(r.get(0).end()).isEqualTo(BASE + 4 * MIB);
  }
}
