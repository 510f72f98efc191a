package io.cvmsim.api.vm;

import io.cvmsim.api.web.AddressValue;
import io.cvmsim.api.web.Params;
import io.cvmsim.api.web.SizeValue;
import io.cvmsim.core.SimulatorException;
import io.cvmsim.core.firmware.EfiMemoryDescriptor;
import io.cvmsim.core.firmware.EfiMemoryMap;
import io.cvmsim.core.firmware.EfiMemoryType;
import io.cvmsim.core.memory.PageSize;
import io.cvmsim.core.vm.AcceptPolicy;
import io.cvmsim.core.vm.BootStage;
import io.cvmsim.core.vm.Platform;
import io.cvmsim.core.vm.VmSpec;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.ArrayList;
import java.util.List;

/**
 * The body of {@code POST /api/v1/vms}. Give {@code memory} (an OVMF-like layout is generated) or
 * {@code efiMemoryMap} (used exactly), not both. Enums are case-insensitive.
 */
@Schema(
    description =
        "A VM to create. Give memory (an OVMF-style layout is generated) or efiMemoryMap (an exact"
            + " UEFI memory map), not both. Names of enums are case-insensitive.")
record CreateVmRequest(
    @Schema(
            description = "The user's unique label: [a-z0-9][a-z0-9-]{0,62}; optional",
            example = "tdx-64g")
        String name,
    @Schema(
            description = "TDX, SNP (also SEV-SNP) or NONE (a plain VM without unaccepted memory)",
            allowableValues = {"TDX", "SNP", "NONE"},
            defaultValue = "TDX",
            example = "TDX")
        String platform,
    @Schema(
            description =
                "Guest RAM in bytes: an integer, or a string with a binary suffix (\"64GiB\","
                    + " \"512MiB\") or in hex; at least 64MiB, a multiple of 1 MiB. Laid out like"
                    + " OVMF: low memory, the 32-bit PCI hole, the rest above 4 GiB",
            example = "64GiB")
        SizeValue memory,
    @Schema(
            description =
                "An exact UEFI memory map instead of memory: descriptors sorted by physStart,"
                    + " none overlapping")
        List<EfiDescriptorRequest> efiMemoryMap,
    @Schema(
            description =
                "Bytes the firmware accepts before handing over (generated layout only): an"
                    + " integer or a size such as \"512MiB\"; default 512MiB",
            example = "512MiB")
        SizeValue firmwareAcceptedBytes,
    @Schema(
            description = "The kernel's accept_memory= parameter",
            allowableValues = {"LAZY", "EAGER"},
            defaultValue = "LAZY",
            example = "LAZY")
        String acceptPolicy,
    @Schema(
            description =
                "Whose rules apply: 6.1 (no unaccepted memory support), 6.5 (the seed) or mainline",
            allowableValues = {"6.1", "6.5", "mainline"},
            defaultValue = "6.5",
            example = "6.5")
        String kernel,
    @Schema(
            description = "vCPUs (cost model, percpu areas, zoneinfo pagesets), 1..1024",
            defaultValue = "4",
            example = "4")
        Integer vcpus,
    @Schema(
            description = "How far to boot; POST /vms/{id}/boot continues to KERNEL",
            allowableValues = {"FIRMWARE", "EFI_STUB", "KERNEL"},
            defaultValue = "KERNEL",
            example = "KERNEL")
        String bootTo,
    @Schema(
            description =
                "The largest page the host backs private memory with. 4K is upstream KVM's"
                    + " guest_memfd (no huge pages): larger accepts fail and fall back to 4K; 2M"
                    + " or 1G model a host with huge-page backing. Default: the cost model's"
                    + " (cvmsim.cost.tdx-host-max-page-size, snp-host-max-page-size: 4K), which"
                    + " the boot-time experiment also uses",
            allowableValues = {"4K", "2M", "1G"},
            example = "2M")
        String hostPageSize,
    @Schema(
            description =
                "Whether THP is enabled, so khugepaged raises min_free_kbytes"
                    + " (set_recommended_min_free_kbytes(): 45056 kB on a 1 GiB guest, about ten"
                    + " times the plain formula, and every watermark with it); default true, as"
                    + " distribution kernels ship THP",
            defaultValue = "true",
            example = "true")
        Boolean khugepaged) {

  /** One descriptor of an explicit memory map. */
  @Schema(description = "One UEFI memory descriptor")
  record EfiDescriptorRequest(
      @Schema(
              description =
                  "The memory type by name (RESERVED, LOADER_CODE, LOADER_DATA,"
                      + " BOOT_SERVICES_CODE, BOOT_SERVICES_DATA, RUNTIME_SERVICES_CODE,"
                      + " RUNTIME_SERVICES_DATA, CONVENTIONAL, UNUSABLE, ACPI_RECLAIM, ACPI_NVS,"
                      + " MMIO, MMIO_PORT, PAL_CODE, PERSISTENT, UNACCEPTED) or UEFI number 0-15",
              oneOf = {String.class, Integer.class},
              example = "CONVENTIONAL")
          Object type,
      @Schema(
              description = "Physical address of the first byte, 4 KiB aligned: integer or hex",
              example = "0x100000")
          AddressValue physStart,
      @Schema(description = "Number of 4 KiB pages", example = "1048320") Long pages) {}

  /**
   * Returns the spec this request asks for.
   *
   * @throws SimulatorException 400 naming the field that cannot be read, 422 for an impossible map
   */
  VmSpec toSpec() {
    return new VmSpec(
        name,
        Params.parse("platform", platform, Platform::ofName),
        kernel,
        Params.parse("acceptPolicy", acceptPolicy, AcceptPolicy::ofName),
        memory == null ? null : memory.bytes(),
        efiMemoryMap == null ? null : map(efiMemoryMap),
        firmwareAcceptedBytes == null ? null : firmwareAcceptedBytes.bytes(),
        vcpus == null ? 4 : vcpus,
        Params.parse("bootTo", bootTo, BootStage::ofName),
        Params.parse("hostPageSize", hostPageSize, PageSize::ofLabel),
        khugepaged != null ? khugepaged : VmSpec.DEFAULT_KHUGEPAGED);
  }

  private static EfiMemoryMap map(List<EfiDescriptorRequest> descriptors) {
    if (descriptors.size() > EfiMemoryMap.MAX_DESCRIPTORS) {
      throw SimulatorException.tooLarge(
          "efiMemoryMap",
          "the memory map has "
              + descriptors.size()
              + " descriptors; at most "
              + EfiMemoryMap.MAX_DESCRIPTORS);
    }
    List<EfiMemoryDescriptor> out = new ArrayList<>(descriptors.size());
    for (int i = 0; i < descriptors.size(); i++) {
      String at = "efiMemoryMap[" + i + "]";
      EfiDescriptorRequest d = descriptors.get(i);
      if (d == null) {
        throw SimulatorException.badRequest(at, at + " is null");
      }
      out.add(
          new EfiMemoryDescriptor(
              type(at + ".type", Params.required(at + ".type", d.type())),
              Params.required(at + ".physStart", d.physStart()).value(),
              Params.required(at + ".pages", d.pages())));
    }
    return EfiMemoryMap.of(out);
  }

  private static EfiMemoryType type(String field, Object type) {
    try {
      if (type instanceof String s) {
        return EfiMemoryType.ofName(s);
      }
      if (type instanceof Integer n) {
        return EfiMemoryType.ofNumber(n);
      }
    } catch (IllegalArgumentException e) {
      throw SimulatorException.badRequest(field, field + ": " + e.getMessage());
    }
    throw SimulatorException.badRequest(
        field, field + " must be a memory type name such as CONVENTIONAL or a number 0-15");
  }
}
