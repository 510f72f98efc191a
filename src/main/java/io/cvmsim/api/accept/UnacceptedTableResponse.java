package io.cvmsim.api.accept;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.cvmsim.core.vm.VmViews;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * The Linux unaccepted memory config table (LINUX_EFI_UNACCEPTED_MEM_TABLE_GUID) as it is now; a VM
 * without one answers {@code {"present": false}} and nothing else.
 */
@Schema(
    description =
        "The Linux unaccepted memory table; {\"present\": false} and nothing else when there is none")
@JsonInclude(JsonInclude.Include.NON_NULL)
record UnacceptedTableResponse(
    @Schema(description = "Whether the VM has a table", example = "true") boolean present,
    @Schema(description = "Table version", example = "1") Integer version,
    @Schema(description = "Bytes per bit (2 MiB)", example = "2097152") Long unitSize,
    @Schema(description = "The address of bit 0", example = "0") Long physBase,
    @Schema(description = "The bitmap length in bytes as the kernel stores it", example = "4096")
        Long sizeBytes,
    @Schema(
            description = "Maximal runs of set bits as half-open [from, to) bit-index pairs",
            example = "[[2304, 32768]]")
        List<long[]> unacceptedUnits,
    @Schema(description = "Bytes the set bits cover", example = "64160400000") Long unacceptedBytes,
    @Schema(description = "Where the table lies in guest memory, once placed", example = "8392704")
        Long tablePhys) {

  /** Returns the answer for the core's table. */
  static UnacceptedTableResponse of(VmViews.Table t) {
    if (!t.present()) {
      return new UnacceptedTableResponse(false, null, null, null, null, null, null, null);
    }
    return new UnacceptedTableResponse(
        true,
        t.version(),
        t.unitSize(),
        t.physBase(),
        t.sizeBytes(),
        t.unacceptedUnits(),
        t.unacceptedBytes(),
        t.tablePhys() < 0 ? null : t.tablePhys());
  }
}
