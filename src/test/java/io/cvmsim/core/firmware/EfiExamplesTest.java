package io.cvmsim.core.firmware;

import static org.assertj.core.api.Assertions.assertThat;

import io.cvmsim.core.accept.AcceptTrigger;
import io.cvmsim.core.accept.AcceptedRange;
import io.cvmsim.core.accept.UnacceptedMemory;
import io.cvmsim.core.accept.spi.AcceptCosts;
import io.cvmsim.core.accept.spi.AcceptOperations;
import io.cvmsim.core.accept.spi.AcceptPhase;
import io.cvmsim.core.accept.tdx.TdxPlatform;
import io.cvmsim.core.memory.PageSize;
import io.cvmsim.core.memory.Sizes;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Replays the worked cases produced by compiling the kernel's own EFI-stub and accept code
 * (src/test/resources/kernel/efi-examples.json) against the core, without Spring.
 */
class EfiExamplesTest {

  static Stream<Arguments> vectors() throws Exception {
    try (InputStream in = EfiExamplesTest.class.getResourceAsStream("/kernel/efi-examples.json")) {
      JsonNode root = JsonMapper.builder().build().readTree(in);
      List<Arguments> out = new ArrayList<>();
      int i = 0;
      for (JsonNode v : root.get("vectors")) {
        out.add(Arguments.of(i++, v));
      }
      return out.stream();
    }
  }

  @ParameterizedTest(name = "vector {0}")
  @MethodSource("vectors")
  void stubAndAcceptMatchTheKernel(int index, JsonNode vector) {
    List<EfiMemoryDescriptor> descriptors = new ArrayList<>();
    for (JsonNode d : vector.get("map")) {
      descriptors.add(
          new EfiMemoryDescriptor(
              EfiMemoryType.valueOf(d.get("type").asString()),
              d.get("physStart").asLong(),
              d.get("pages").asLong()));
    }
    EfiMemoryMap map = EfiMemoryMap.of(descriptors);
    // the kernel's own split into 1G/2M/4K accepts, as on a host that backs every size it tries
    TdxPlatform tdx = new TdxPlatform(AcceptCosts.DEFAULTS.withHostMaxPageSize(PageSize.SIZE_1G));
    List<long[]> stubCalls = new ArrayList<>();
    List<AcceptOperations> stubOps = new ArrayList<>();
    UnacceptedTable table =
        EfiStub.install(
            map,
            Sizes.UNIT_SIZE,
            (s, e) -> {
              stubCalls.add(new long[] {s, e});
              stubOps.add(tdx.accept(s, e, AcceptPhase.STUB));
            });

    JsonNode expectTable = vector.get("expect").get("table");
    assertThat(table.version()).isEqualTo(expectTable.get("version").asInt());
    assertThat(table.unitSize()).isEqualTo(expectTable.get("unitSize").asLong());
    assertThat(table.physBase()).isEqualTo(expectTable.get("physBase").asLong());
    assertThat(table.sizeBytes()).isEqualTo(expectTable.get("sizeBytes").asLong());
    UnacceptedMemory um = new UnacceptedMemory(table, tdx, (p, t, s, e, o) -> {});
    assertThat(runs(um)).isEqualTo(pairs(expectTable.get("unacceptedUnits")));

    JsonNode expectStub = vector.get("expect").get("stubAccepted");
    assertThat(stubCalls).hasSize(expectStub.size());
    for (int i = 0; i < stubCalls.size(); i++) {
      JsonNode e = expectStub.get(i);
      assertThat(stubCalls.get(i)).containsExactly(e.get("start").asLong(), e.get("end").asLong());
      assertOps(stubOps.get(i), e.get("operations"));
    }

    int step = 0;
    for (JsonNode op : vector.get("ops")) {
      long start = op.get("start").asLong();
      long end = op.get("end").asLong();
      String where = "vector " + index + " op " + step++ + " " + op.get("op").asString();
      if (op.get("op").asString().equals("contains")) {
        assertThat(um.rangeContainsUnacceptedMemory(start, end))
            .as(where)
            .isEqualTo(op.get("expect").asBoolean());
      } else {
        List<AcceptedRange> got = um.acceptMemory(start, end, AcceptTrigger.EXPLICIT);
        JsonNode expected = op.get("expectAccepted");
        assertThat(got).as(where).hasSize(expected.size());
        for (int i = 0; i < got.size(); i++) {
          assertThat(got.get(i).start()).as(where).isEqualTo(expected.get(i).get("start").asLong());
          assertThat(got.get(i).end()).as(where).isEqualTo(expected.get(i).get("end").asLong());
          assertOps(got.get(i).operations(), expected.get(i).get("operations"));
        }
        assertThat(runs(um)).as(where).isEqualTo(pairs(op.get("expectUnacceptedUnitsAfter")));
      }
    }
  }

  private static void assertOps(AcceptOperations ops, JsonNode expected) {
    assertThat(ops.ops1g()).isEqualTo(expected.get("1G").asLong());
    assertThat(ops.ops2m()).isEqualTo(expected.get("2M").asLong());
    assertThat(ops.ops4k()).isEqualTo(expected.get("4K").asLong());
  }

  private static List<List<Long>> runs(UnacceptedMemory um) {
    List<List<Long>> out = new ArrayList<>();
    for (long[] r : um.unacceptedRuns()) {
      out.add(List.of(r[0], r[1]));
    }
    return out;
  }

  private static List<List<Long>> pairs(JsonNode node) {
    List<List<Long>> out = new ArrayList<>();
    for (JsonNode p : node) {
      out.add(List.of(p.get(0).asLong(), p.get(1).asLong()));
    }
    return out;
  }
}
