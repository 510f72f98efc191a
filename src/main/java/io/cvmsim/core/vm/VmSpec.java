package io.cvmsim.core.vm;

import io.cvmsim.core.SimulatorException;
import io.cvmsim.core.firmware.EfiMemoryMap;
import io.cvmsim.core.memory.PageSize;
import io.cvmsim.core.memory.Sizes;
import io.cvmsim.core.mm.KernelModel;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What a guest is created from, already parsed. Exactly one of {@code memoryBytes} (an OVMF-like
 * layout is generated) and {@code efiMemoryMap} (used as given) is set.
 *
 * @param name the user's unique label, or null for none
 * @param platform TDX, SNP or NONE
 * @param kernel the label of the kernel whose rules apply ("6.1", "6.5", "mainline"; see {@link
 *     #KERNELS}), or null for 6.5; normalised to the model's label
 * @param acceptPolicy accept_memory=
 * @param memoryBytes guest RAM for a generated layout, or null
 * @param efiMemoryMap an exact map, or null
 * @param firmwareAcceptedBytes memory the firmware accepts (generated layout), or null for the
 *     default
 * @param vcpus vCPUs (cost model, percpu areas, zoneinfo pagesets)
 * @param bootTo how far to boot
 * @param hostPageSize the largest page the host backs private memory with, or null for the
 *     configured default
 * @param khugepaged whether THP is enabled, so khugepaged raises min_free_kbytes
 */
public record VmSpec(
    String name,
    Platform platform,
    String kernel,
    AcceptPolicy acceptPolicy,
    Long memoryBytes,
    EfiMemoryMap efiMemoryMap,
    Long firmwareAcceptedBytes,
    int vcpus,
    BootStage bootTo,
    PageSize hostPageSize,
    boolean khugepaged) {

  /** The pattern names must match. */
  public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

  /** The firmware's default pre-accepted memory: OVMF IntelTdx's PcdLazyAcceptPartialMemorySize. */
  public static final long DEFAULT_FIRMWARE_ACCEPTED = 512 * Sizes.MIB;

  /** The most vCPUs a guest may have. */
  public static final int MAX_VCPUS = 1024;

  /** The kernel labels there are, in the order the models were added. */
  public static final List<String> KERNELS = KernelModel.labels();

  /**
   * Whether THP is enabled when a request does not say: yes, as distribution kernels ship it
   * (CONFIG_TRANSPARENT_HUGEPAGE with "always" or "madvise"), so khugepaged's
   * set_recommended_min_free_kbytes() raises min_free_kbytes (mm/khugepaged.c): 45,056 kB on a 1
   * GiB guest instead of the 4,096 kB init_per_zone_wmark_min() gives, and every watermark with it.
   */
  public static final boolean DEFAULT_KHUGEPAGED = true;

  /** The kernel a guest runs when none is named: 6.5, the release that merged the series. */
  public static final String DEFAULT_KERNEL = KernelModel.V6_5.label();

  /** Checks what can be checked without building the guest. */
  public VmSpec {
    if (name != null && !NAME.matcher(name).matches()) {
      throw SimulatorException.badRequest(
          "name", "name must match [a-z0-9][a-z0-9-]{0,62}, got '" + name + "'");
    }
    if (platform == null) {
      platform = Platform.TDX;
    }
    kernel = kernel == null ? DEFAULT_KERNEL : kernelModel(kernel).label();
    if (acceptPolicy == null) {
      acceptPolicy = AcceptPolicy.LAZY;
    }
    if (bootTo == null) {
      bootTo = BootStage.KERNEL;
    }
    if ((memoryBytes == null) == (efiMemoryMap == null)) {
      throw SimulatorException.badRequest(
          memoryBytes == null ? "memory" : "efiMemoryMap",
          "give exactly one of memory (a generated layout) and efiMemoryMap (an exact map)");
    }
    if (efiMemoryMap != null && firmwareAcceptedBytes != null) {
      throw SimulatorException.badRequest(
          "firmwareAcceptedBytes",
          "firmwareAcceptedBytes applies to a generated layout only; an explicit map says itself"
              + " what is UNACCEPTED");
    }
    if (vcpus < 1 || vcpus > MAX_VCPUS) {
      throw SimulatorException.badRequest(
          "vcpus", "vcpus must be between 1 and " + MAX_VCPUS + ", got " + vcpus);
    }
    if (!platform.confidential() && efiMemoryMap != null && efiMemoryMap.hasUnaccepted()) {
      throw SimulatorException.unprocessable(
          "efiMemoryMap",
          "a plain VM (platform NONE) cannot have EFI_UNACCEPTED_MEMORY descriptors");
    }
  }

  /** Returns this spec with another name (null for none). */
  public VmSpec withName(String newName) {
    return new VmSpec(
        newName,
        platform,
        kernel,
        acceptPolicy,
        memoryBytes,
        efiMemoryMap,
        firmwareAcceptedBytes,
        vcpus,
        bootTo,
        hostPageSize,
        khugepaged);
  }

  /** Returns the label of a kernel as the API prints it ("V6_5" gives "6.5"), or a 400. */
  public static String kernelLabel(String label) {
    return kernelModel(label).label();
  }

  /** Returns whether a kernel (by label) supports unaccepted memory at all. */
  public static boolean supportsUnacceptedMemory(String kernel) {
    return kernelModel(kernel).supportsUnacceptedMemory();
  }

  /** Returns the kernel model of a label, or a 400 naming the labels there are. */
  static KernelModel kernelModel(String label) {
    try {
      return KernelModel.ofLabel(label);
    } catch (IllegalArgumentException e) {
      throw SimulatorException.badRequest("kernel", e.getMessage());
    }
  }

  /** Returns the kernel model this guest runs. */
  KernelModel kernelModel() {
    return kernelModel(kernel);
  }

  /** Returns the guest RAM: the generated size, or the usable RAM of the explicit map. */
  public long ramBytes() {
    return memoryBytes != null ? memoryBytes : efiMemoryMap.usableRamBytes();
  }
}
