package io.cvmsim.core.validation;

import io.cvmsim.core.boot.BootCosts;
import io.cvmsim.core.firmware.EfiMemoryDescriptor;
import io.cvmsim.core.firmware.EfiMemoryMap;
import io.cvmsim.core.firmware.EfiMemoryType;
import io.cvmsim.core.memory.Sizes;
import io.cvmsim.core.vm.AcceptPolicy;
import io.cvmsim.core.vm.BootStage;
import io.cvmsim.core.vm.Platform;
import io.cvmsim.core.vm.VmSettings;
import io.cvmsim.core.vm.VmSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The cvmsim guest that matches a recording: the firmware's e820 map as its memory map (so the
 * zones span what the recorded kernel's spanned), no memory encryption (the recordings ran without
 * TDX or SNP), the recorded kernel model, vCPUs and THP setting, and the kernel image, percpu unit,
 * init sections and initrd sizes the recorded kernel printed (/proc/iomem, dmesg's pcpu-alloc and
 * "Freeing" lines).
 */
public final class RecordedGuest {

  private static final Pattern PCPU_UNIT = Pattern.compile("pcpu-alloc: .* u(\\d+)");

  private RecordedGuest() {}

  /** Returns the spec of the guest to compare with {@code r}. */
  public static VmSpec spec(KernelRecording r) {
    return new VmSpec(
        null,
        Platform.NONE,
        r.model(),
        AcceptPolicy.LAZY,
        null,
        memoryMap(r),
        null,
        r.vcpus(),
        BootStage.KERNEL,
        null,
        !r.thp().equals("never"));
  }

  /**
   * Returns {@code base} with the recorded kernel's image and percpu sizes, the part of its image
   * it freed after the initcalls and its initrd (dmesg's "Freeing unused ..." and "Freeing initrd
   * memory" lines, {@link KernelFiles#lateFrees}).
   */
  public static VmSettings settings(KernelRecording r, VmSettings base) {
    BootCosts b = base.bootCosts();
    long[] image = KernelFiles.kernelImage(r.boot().get("iomem"));
    long percpu = b.percpuBytesPerVcpu();
    Matcher m = PCPU_UNIT.matcher(r.boot().get("dmesg"));
    if (m.find()) {
      percpu = Long.parseLong(m.group(1));
    }
    KernelFiles.LateFrees late = KernelFiles.lateFrees(r.boot().get("dmesg"));
    BootCosts costs =
        b.withImages(image[1] - image[0], percpu, late.imageBytes(), late.initrdBytes());
    return new VmSettings(
        base.acceptCosts(),
        costs,
        base.maxBitmapBytes(),
        base.acceptLogCapacity(),
        base.checkInvariants(),
        base.maxBatches(),
        base.maxBatchBytes());
  }

  /**
   * Returns the e820 map as a UEFI memory map: usable RAM trimmed to whole pages (as memblock trims
   * it), ACPI tables and NVS as such, everything else reserved; ranges that hold no whole page are
   * left out.
   */
  static EfiMemoryMap memoryMap(KernelRecording r) {
    List<EfiMemoryDescriptor> out = new ArrayList<>();
    for (KernelFiles.E820Range e : KernelFiles.e820(r.boot().get("dmesg"))) {
      long s = e.usable() ? Sizes.alignUp(e.start(), Sizes.PAGE_SIZE) : alignDown(e.start());
      long end = e.usable() ? alignDown(e.end()) : Sizes.alignUp(e.end(), Sizes.PAGE_SIZE);
      if (end <= s) {
        continue;
      }
      if (!out.isEmpty()) {
        EfiMemoryDescriptor last = out.get(out.size() - 1);
        s = Math.max(s, last.end());
        if (end <= s) {
          continue;
        }
      }
      out.add(new EfiMemoryDescriptor(typeOf(e.type()), s, (end - s) >>> Sizes.PAGE_SHIFT));
    }
    return EfiMemoryMap.of(out);
  }

  private static long alignDown(long x) {
    return x & -Sizes.PAGE_SIZE;
  }

  private static EfiMemoryType typeOf(String e820Type) {
    String t = e820Type.toLowerCase(Locale.ROOT);
    if (t.equals("usable")) {
      return EfiMemoryType.CONVENTIONAL;
    }
    if (t.startsWith("acpi data")) {
      return EfiMemoryType.ACPI_RECLAIM;
    }
    if (t.startsWith("acpi nvs")) {
      return EfiMemoryType.ACPI_NVS;
    }
    return EfiMemoryType.RESERVED;
  }
}
