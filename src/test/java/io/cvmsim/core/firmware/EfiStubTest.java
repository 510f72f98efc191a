package io.cvmsim.core.firmware;

import static io.cvmsim.core.memory.Sizes.MIB;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hand-worked cases for allocate_unaccepted_bitmap() and process_unaccepted_memory(). */
class EfiStubTest {

  private static final long U = 2 * MIB;

  static EfiMemoryDescriptor d(EfiMemoryType t, long start, long bytes) {
    return new EfiMemoryDescriptor(t, start, bytes / 4096);
  }

  record Run(UnacceptedTable table, List<long[]> accepted) {}

  static Run install(EfiMemoryDescriptor... ds) {
    List<long[]> acc = new ArrayList<>();
    UnacceptedTable t =
        EfiStub.install(EfiMemoryMap.of(List.of(ds)), U, (s, e) -> acc.add(new long[] {s, e}));
    return new Run(t, acc);
  }

  @Test
  void noUnacceptedDescriptor_noTable() {
    Run r = install(d(EfiMemoryType.CONVENTIONAL, 0, 64 * MIB));
    assertThat(r.table()).isNull();
    assertThat(r.accepted()).isEmpty();
    assertThat(
            EfiStub.bitmapBytes(
                EfiMemoryMap.of(List.of(d(EfiMemoryType.CONVENTIONAL, 0, 4096))), U))
        .isEqualTo(-1);
  }

  @Test
  void tableSpansLowestToHighestUnacceptedByte_roundedToUnits_sizeInBytes() {
    // 1 MiB .. 4 GiB + 8 MiB + 4 KiB: phys_base rounds down to 0, end rounds up
    Run r =
        install(
            d(EfiMemoryType.UNACCEPTED, MIB, 31 * MIB),
            d(EfiMemoryType.UNACCEPTED, 4096 * MIB, 8 * MIB + 4096));
    assertThat(r.table().physBase()).isZero();
    long units = (4096 * MIB + 10 * MIB) / U; // uend rounds up to 4 GiB + 10 MiB
    assertThat(r.table().sizeBytes()).isEqualTo((units + 7) / 8);
    assertThat(r.table().version()).isEqualTo(1);
    assertThat(r.table().unitSize()).isEqualTo(U);
  }

  @Test
  void rangeShorterThanTwoUnits_isAcceptedWhole_evenIfAligned() {
    Run r = install(d(EfiMemoryType.UNACCEPTED, 64 * MIB, 4 * MIB - 4096));
    assertThat(r.accepted()).containsExactly(new long[] {64 * MIB, 68 * MIB - 4096});
    assertThat(r.table().bitmap().cardinality()).isZero();
  }

  @Test
  void unalignedHeadAndTail_areAcceptedFirst_inThatOrder_andTheMiddleRecorded() {
    long start = 64 * MIB + 4096;
    long end = 80 * MIB + 8192;
    Run r = install(d(EfiMemoryType.UNACCEPTED, start, end - start));
    assertThat(r.accepted())
        .containsExactly(new long[] {start, 66 * MIB}, new long[] {80 * MIB, end});
    long base = r.table().physBase();
    assertThat(base).isEqualTo(64 * MIB);
    assertThat(r.table().bitmap().nextSetBit(0, 100)).isEqualTo(1);
    assertThat(r.table().bitmap().nextClearBit(1, 100)).isEqualTo(8);
  }

  @Test
  void exactlyTwoUnits_areRecorded() {
    Run r = install(d(EfiMemoryType.UNACCEPTED, 64 * MIB, 4 * MIB));
    assertThat(r.accepted()).isEmpty();
    assertThat(r.table().bitmap().cardinality()).isEqualTo(2);
  }

  @Test
  void preinstalledBaseAndCapacity_rulesAcceptWhatTheBitmapCannotHold() {
    // a table whose base lies above part of the range and whose capacity ends before its end
    UnacceptedTable t = new UnacceptedTable(U, 10 * U, 1); // 8 bits: [10U, 18U)
    List<long[]> acc = new ArrayList<>();
    EfiStub.processUnacceptedMemory(t, 6 * U, 22 * U, (s, e) -> acc.add(new long[] {s, e}));
    assertThat(acc).containsExactly(new long[] {6 * U, 10 * U}, new long[] {18 * U, 22 * U});
    assertThat(t.bitmap().cardinality()).isEqualTo(8);
  }

  @Test
  void rangeEntirelyBelowBase_isAcceptedAndNothingRecorded() {
    UnacceptedTable t = new UnacceptedTable(U, 100 * U, 1);
    List<long[]> acc = new ArrayList<>();
    EfiStub.processUnacceptedMemory(t, 10 * U, 20 * U, (s, e) -> acc.add(new long[] {s, e}));
    assertThat(acc).containsExactly(new long[] {10 * U, 20 * U});
    assertThat(t.bitmap().cardinality()).isZero();
  }
}
