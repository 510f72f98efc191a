package io.cvmsim.api.accept;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.cvmsim.core.accept.spi.AcceptOperations;
import io.swagger.v3.oas.annotations.media.Schema;

/** Accept instructions by page size (TDX: TDG.MEM.PAGE.ACCEPT; SNP: PVALIDATE). */
@Schema(
    description =
        "Successful accept instructions by page size (TDX TDG.MEM.PAGE.ACCEPT, SNP PVALIDATE)")
@JsonPropertyOrder({"1G", "2M", "4K"})
public record Operations(
    @Schema(description = "1 GiB accepts", example = "0") @JsonProperty("1G") long ops1g,
    @Schema(description = "2 MiB accepts", example = "2") @JsonProperty("2M") long ops2m,
    @Schema(description = "4 KiB accepts", example = "0") @JsonProperty("4K") long ops4k) {

  /** Returns the counts of one call. */
  public static Operations of(AcceptOperations ops) {
    return new Operations(ops.ops1g(), ops.ops2m(), ops.ops4k());
  }
}
