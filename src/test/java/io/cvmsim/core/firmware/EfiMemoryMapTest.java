package io.cvmsim.core.firmware;

import static io.cvmsim.core.memory.Sizes.GIB;
import static io.cvmsim.core.memory.Sizes.MIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cvmsim.core.SimulatorException;
import java.util.List;
import org.junit.jupiter.api.Test;

class EfiMemoryMapTest {

  static EfiMemoryDescriptor d(EfiMemoryType t, long start, long pages) {
    return new EfiMemoryDescriptor(t, start, pages);
  }

  @Test
  void overlapping_isRefusedNamingTheDescriptor() {
    assertThatThrownBy(
            () ->
                EfiMemoryMap.of(
                    List.of(
                        d(EfiMemoryType.CONVENTIONAL, 0, 256),
                        d(EfiMemoryType.UNACCEPTED, 0x80000, 16))))
        .isInstanceOf(SimulatorException.class)
        .hasMessageContaining("efiMemoryMap[1]")
        .hasMessageContaining("overlaps efiMemoryMap[0]")
        .extracting(e -> ((SimulatorException) e).kind())
        .isEqualTo(SimulatorException.Kind.UNPROCESSABLE);
  }

  @Test
  void unsortedZeroLengthUnalignedAndOutOfRange_areRefused() {
    assertThatThrownBy(
            () ->
                EfiMemoryMap.of(
                    List.of(
                        d(EfiMemoryType.CONVENTIONAL, 0x200000, 1),
                        d(EfiMemoryType.CONVENTIONAL, 0, 1))))
        .hasMessageContaining("sorted");
    assertThatThrownBy(() -> EfiMemoryMap.of(List.of(d(EfiMemoryType.CONVENTIONAL, 0, 0))))
        .hasMessageContaining("no pages");
    assertThatThrownBy(() -> EfiMemoryMap.of(List.of(d(EfiMemoryType.CONVENTIONAL, 12, 1))))
        .hasMessageContaining("not 4 KiB aligned");
    assertThatThrownBy(
            () -> EfiMemoryMap.of(List.of(d(EfiMemoryType.CONVENTIONAL, (1L << 52) - 4096, 2))))
        .hasMessageContaining("52-bit");
    assertThatThrownBy(() -> EfiMemoryMap.of(List.of())).hasMessageContaining("no descriptors");
  }

  @Test
  void allSixteenTypes_haveTheirUefiNumbers() {
    assertThat(EfiMemoryType.values()).hasSize(16);
    assertThat(EfiMemoryType.UNACCEPTED.number()).isEqualTo(15);
    assertThat(EfiMemoryType.ofNumber(7)).isEqualTo(EfiMemoryType.CONVENTIONAL);
    assertThat(EfiMemoryType.ofName("acpi_nvs")).isEqualTo(EfiMemoryType.ACPI_NVS);
  }

  @Test
  void ovmfLayout_splitsAtThePciHole_andAcceptsTheFirstBytes() {
    EfiMemoryMap m = OvmfLayout.generate(8 * GIB, 512 * MIB, true);
    // the 384 KiB behind the legacy hole [640 KiB, 1 MiB) is lost, as on QEMU q35
    long hole = MIB - 0xA0000;
    assertThat(m.usableRamBytes()).isEqualTo(8 * GIB - hole);
    assertThat(m.bytesOf(EfiMemoryType.CONVENTIONAL)).isEqualTo(512 * MIB);
    assertThat(m.bytesOf(EfiMemoryType.UNACCEPTED)).isEqualTo(8 * GIB - hole - 512 * MIB);
    assertThat(m.end()).isEqualTo(4 * GIB + 6 * GIB);
    assertThat(m.descriptors().get(0)).isEqualTo(d(EfiMemoryType.CONVENTIONAL, 0, 160));
    // small guests keep all RAM below 4 GiB
    assertThat(OvmfLayout.generate(2 * GIB, 0, true).end()).isEqualTo(2 * GIB);
    // a plain VM's memory is all CONVENTIONAL
    assertThat(OvmfLayout.generate(4 * GIB, 0, false).hasUnaccepted()).isFalse();
  }
}
