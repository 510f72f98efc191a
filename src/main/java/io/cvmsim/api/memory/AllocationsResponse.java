package io.cvmsim.api.memory;

import io.cvmsim.core.memory.ZoneType;
import io.cvmsim.core.vm.VmViews;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.SerializableString;
import tools.jackson.core.io.SerializedString;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.annotation.JsonSerialize;

/**
 * What an allocation request got, block by block ({@code "result": "blocks"}, the default). It
 * holds the head pfns only; {@link Writer} writes an object per block from them.
 */
@Schema(
    description =
        "What an allocation request got, one object per block (\"result\": \"blocks\", the"
            + " default); what it could not get is counted in failed")
@JsonSerialize(using = AllocationsResponse.Writer.class)
record AllocationsResponse(
    @ArraySchema(
            arraySchema = @Schema(description = "The blocks handed out, in order"),
            schema = @Schema(implementation = Allocation.class))
        long[] allocations,
    @Schema(hidden = true) int order,
    @Schema(hidden = true) String migratetype,
    @Schema(description = "Requested blocks that could not be allocated", example = "0") int failed,
    @Schema(
            description = "The batch: POST /frees {\"batch\": ...} frees what is left of it",
            example = "17")
        String batch)
    implements AllocationAnswer {

  /** One block, as the answer shows it (the schema of each element of allocations). */
  @Schema(description = "One block handed out")
  record Allocation(
      @Schema(description = "The head page frame number (4 KiB page index)", example = "1048576")
          long pfn,
      @Schema(description = "The order", example = "0") int order,
      @Schema(description = "The zone: DMA, DMA32 or Normal", example = "Normal") String zone,
      @Schema(description = "The migrate type as /proc prints it", example = "Unmovable")
          String migratetype) {}

  /** Returns the answer for the core's batch. */
  static AllocationsResponse of(VmViews.Batch b) {
    return new AllocationsResponse(
        b.pfns(), b.order(), b.migratetype(), b.failed(), Long.toString(b.id()));
  }

  /** Writes the answer with an object per block, straight from the pfns. */
  static final class Writer extends ValueSerializer<AllocationsResponse> {

    private static final SerializableString ALLOCATIONS = new SerializedString("allocations");
    private static final SerializableString PFN = new SerializedString("pfn");
    private static final SerializableString ORDER = new SerializedString("order");
    private static final SerializableString ZONE = new SerializedString("zone");
    private static final SerializableString MIGRATETYPE = new SerializedString("migratetype");
    private static final SerializableString FAILED = new SerializedString("failed");
    private static final SerializableString BATCH = new SerializedString("batch");
    private static final SerializableString[] ZONES = new SerializableString[ZoneType.COUNT];

    static {
      for (ZoneType z : ZoneType.values()) {
        ZONES[z.ordinal()] = new SerializedString(z.procName());
      }
    }

    @Override
    public void serialize(AllocationsResponse a, JsonGenerator g, SerializationContext context) {
      long[] pfns = a.allocations();
      SerializableString mt = new SerializedString(a.migratetype());
      g.writeStartObject(a);
      g.writeName(ALLOCATIONS);
      g.writeStartArray(pfns, pfns.length);
      for (long pfn : pfns) {
        g.writeStartObject();
        g.writeName(PFN);
        g.writeNumber(pfn);
        g.writeName(ORDER);
        g.writeNumber(a.order());
        g.writeName(ZONE);
        g.writeString(ZONES[ZoneType.ofPfn(pfn).ordinal()]);
        g.writeName(MIGRATETYPE);
        g.writeString(mt);
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeName(FAILED);
      g.writeNumber(a.failed());
      g.writeName(BATCH);
      g.writeString(a.batch());
      g.writeEndObject();
    }
  }
}
