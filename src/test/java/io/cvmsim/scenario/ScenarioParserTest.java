package io.cvmsim.scenario;

import static io.cvmsim.scenario.ScenarioFiles.refused;
import static io.cvmsim.scenario.ScenarioFiles.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import io.cvmsim.core.memory.Gfp;
import io.cvmsim.core.memory.Sizes;
import io.cvmsim.core.mm.KernelModel;
import io.cvmsim.core.vm.AcceptPolicy;
import io.cvmsim.core.vm.Platform;
import io.cvmsim.scenario.doc.DocumentException;
import io.cvmsim.scenario.doc.Documents;
import io.cvmsim.scenario.doc.Problem;
import org.junit.jupiter.api.Test;

class ScenarioParserTest {

  private static String at(Problem p) {
    return p.line() + ":" + p.column();
  }

  @Test
  void aValidFile_becomesVmsStepsAndExpectations() {
    Scenario s =
        yaml(
            """
            name: demo
            vms:
              - {name: lazy, memory: 4GiB, kernel: mainline, platform: SNP}
              - {name: eager, memory: 4GiB, acceptPolicy: EAGER, hostPageSize: 4K}
            steps:
              - allocate: {vm: lazy, id: a1, order: 3, count: 10, gfp: GFP_USER}
              - free: {vm: lazy, step: a1}
              - accept: {vm: eager, start: 4GiB, end: 0x140000000}
              - workload: {vm: lazy, id: hog, type: memory-hog, fill: 0.5, background: true}
              - wait: hog
              - snapshot: {vm: lazy, label: s1}
              - expect: {vm: lazy, that: [meminfo.Unaccepted < 4GiB, steps.hog.failures == 0]}
            expect:
              - boot.seconds(lazy) < boot.seconds(eager)
              - {name: same, that: snapshot.s1 == snapshot.s1}
            """);

    assertThat(s.name()).isEqualTo("demo");
    assertThat(s.vms()).extracting(Scenario.Vm::name).containsExactly("lazy", "eager");
    assertThat(s.vms().get(0).spec().platform()).isEqualTo(Platform.SNP);
    assertThat(s.vms().get(0).spec().kernel()).isEqualTo(KernelModel.MAINLINE.label());
    assertThat(s.vms().get(1).spec().acceptPolicy()).isEqualTo(AcceptPolicy.EAGER);
    assertThat(s.steps())
        .extracting(Scenario.Step::kind)
        .containsExactly("allocate", "free", "accept", "workload", "wait", "snapshot", "expect");
    Scenario.Allocate a = (Scenario.Allocate) s.steps().get(0);
    assertThat(a.gfp()).isEqualTo(Gfp.GFP_USER);
    assertThat(a.order()).isEqualTo(3);
    assertThat(((Scenario.Accept) s.steps().get(2)).start()).isEqualTo(4 * Sizes.GIB);
    assertThat(((Scenario.RunWorkload) s.steps().get(3)).background()).isTrue();
    assertThat(((Scenario.Expect) s.steps().get(6)).expectations()).hasSize(2);
    assertThat(s.expectations())
        .extracting(Scenario.Expectation::name)
        .containsExactly("boot.seconds(lazy) < boot.seconds(eager)", "same");
    assertThat(s.expectations().get(0).mark().line()).isEqualTo(14);
  }

  @Test
  void aBadFile_reportsEveryProblemAtOnce_withLineAndColumn() {
    DocumentException e =
        refused(
            """
            name: bad
            vms:
              - name: lazy
                memroy: 4GiB
              - {name: eager, memory: 4GiB, platform: ARM}
            steps:
              - allocate: {vm: nope, order: 11}
              - workload: {vm: lazy, type: memory-hog, fill: 2}
              - dance: {}
            expect:
              - meminfo(lazy).Unacepted < 1GiB
              - boot.seconds(lazy) < 2
            """);

    assertThat(e.kind()).isEqualTo(DocumentException.Kind.INVALID);
    assertThat(e.problems())
        .extracting(p -> at(p) + " " + p.message())
        .anySatisfy(m -> assertThat(m).startsWith("3:5 give exactly one of memory"))
        .anySatisfy(
            m -> assertThat(m).startsWith("4:5 unknown field 'memroy' (did you mean 'memory'?)"))
        .anySatisfy(m -> assertThat(m).startsWith("5:43 unknown platform 'ARM'"))
        .anySatisfy(m -> assertThat(m).startsWith("7:20 unknown VM 'nope'"))
        .anySatisfy(m -> assertThat(m).startsWith("7:33 order must be between 0 and 10"))
        .anySatisfy(m -> assertThat(m).startsWith("8:50 fill must be between 0.0 and 1.0"))
        .anySatisfy(m -> assertThat(m).startsWith("9:5 unknown step 'dance'"))
        .anySatisfy(m -> assertThat(m).startsWith("11:19 unknown meminfo field 'Unacepted'"))
        .anySatisfy(
            m -> assertThat(m).startsWith("12:24 cannot compare seconds with a plain number"));
  }

  @Test
  void problemsInJson_carryJacksonsLinesAndColumns() {
    try {
      ScenarioParser.parse(
          "{\"name\": \"j\",\n \"vms\": [{\"name\": \"a\", \"memory\": \"4GiB\"}],\n"
              + " \"expect\": [\"meminfo.MemFree > 1GiX\"]}",
          Documents.Format.JSON,
          "t.json",
          ScenarioFiles.LIMITS,
          1);
    } catch (DocumentException e) {
      assertThat(e.problems())
          .singleElement()
          .satisfies(
              p -> {
                assertThat(at(p)).isEqualTo("3:33");
                assertThat(p.message()).contains("unknown unit");
              });
      return;
    }
    throw new AssertionError("accepted");
  }

  @Test
  void aTextField_takesAPlainNumberAsItsText_butNotOneBeyondAnyNumberField() {
    Scenario s = yaml("name: 2024\nvms: [{name: a, memory: 1GiB, kernel: 6.1}]\n");
    assertThat(s.name()).isEqualTo("2024");
    for (String huge : new String[] {"1e400", "123456789012345678901234567890"}) {
      try {
        ScenarioParser.parse(
            "{\"name\": " + huge + ", \"vms\": [{\"name\": \"a\", \"memory\": \"1GiB\"}]}",
            Documents.Format.JSON,
            "t.json",
            ScenarioFiles.LIMITS,
            1);
        throw new AssertionError(huge + " accepted as a name");
      } catch (DocumentException e) {
        assertThat(e.problems())
            .singleElement()
            .satisfies(
                p -> {
                  assertThat(at(p)).isEqualTo("1:10");
                  assertThat(p.message()).contains("name must be a string or a number in range");
                });
      }
    }
  }

  @Test
  void references_mustPointBackwards() {
    DocumentException e =
        refused(
            """
            name: order
            vms: [{name: a, memory: 1GiB}]
            steps:
              - expect: steps.x.allocated > 0
              - expect: snapshot.s == snapshot.s
              - allocate: {id: x}
              - snapshot: {label: s}
              - free: {step: y}
              - wait: z
              - workload: {type: memory-hog, background: true}
            """);

    assertThat(e.problems())
        .extracting(p -> p.line() + " " + p.message())
        .anySatisfy(m -> assertThat(m).startsWith("4 no step with id 'x' before this point"))
        .anySatisfy(m -> assertThat(m).startsWith("5 no snapshot labelled 's'"))
        .anySatisfy(m -> assertThat(m).startsWith("8 no allocate step with id 'y'"))
        .anySatisfy(m -> assertThat(m).startsWith("9 no background workload with id 'z'"))
        .anySatisfy(m -> assertThat(m).startsWith("10 a background workload needs an id"));
  }

  @Test
  void duplicatesAndMalformedNames_areRefused() {
    DocumentException e =
        refused(
            """
            name: Not_Valid
            vms: [{name: a, memory: 1GiB}, {name: a, memory: 1GiB}]
            steps:
              - snapshot: {label: s}
              - snapshot: {label: s}
              - allocate: {id: 1x}
              - {allocate: {}, free: {}}
            """);

    assertThat(e.problems())
        .extracting(Problem::message)
        .anySatisfy(m -> assertThat(m).startsWith("name must match"))
        .anySatisfy(m -> assertThat(m).isEqualTo("a second VM named 'a'"))
        .anySatisfy(m -> assertThat(m).isEqualTo("a second snapshot labelled 's'"))
        .anySatisfy(m -> assertThat(m).startsWith("an id must match"))
        .anySatisfy(m -> assertThat(m).contains("exactly one of").contains("allocate, free"));
  }

  @Test
  void overTheLimits_isOverLimit_notInvalid() {
    ScenarioLimits small =
        new ScenarioLimits(2, 8 * Sizes.GIB, 12 * Sizes.GIB, 100, 16 * Sizes.MIB);
    DocumentException e =
        refused(
            """
            name: big
            vms:
              - {name: a, memory: 16GiB}
              - {name: b, memory: 4GiB}
              - {name: c, memory: 4GiB}
            steps:
              - allocate: {vm: b, count: 1000}
            """,
            small);

    assertThat(e.kind()).isEqualTo(DocumentException.Kind.OVER_LIMIT);
    assertThat(e.problems())
        .extracting(p -> p.line() + " " + p.message())
        .anySatisfy(
            m -> assertThat(m).startsWith("3 3 VMs are more than cvmsim.limits.max-vms (2)"))
        .anySatisfy(m -> assertThat(m).contains("over cvmsim.limits.max-memory-per-vm (8GiB)"))
        .anySatisfy(m -> assertThat(m).contains("over cvmsim.limits.max-total-memory (12GiB)"))
        .anySatisfy(m -> assertThat(m).startsWith("7 count 1000 is over cvmsim.limits.max-batch"));
  }

  @Test
  void aFileOverTheRequestLimit_isRefusedBeforeParsing() {
    ScenarioLimits tiny = new ScenarioLimits(64, Sizes.TIB, Sizes.TIB, 100, 32);
    DocumentException e = refused("name: x\nvms: [{name: a, memory: 1GiB}]\n", tiny);
    assertThat(e.kind()).isEqualTo(DocumentException.Kind.OVER_LIMIT);
    assertThat(e.problems().get(0).message()).contains("max-request-bytes");
  }

  @Test
  void theOnlyVm_isTheDefaultEverywhere() {
    Scenario s =
        yaml(
            """
            name: one
            vms: [{name: solo, memory: 1GiB, bootTo: EFI_STUB}]
            steps:
              - boot:
              - allocate:
              - expect: meminfo.MemFree > 0
            """);
    assertThat(s.steps()).extracting(Scenario.Step::vm).containsExactly("solo", "solo", null);
  }

  @Test
  void anExplicitMemoryMap_isReadLikeTheApisAndChecked() {
    Scenario s =
        yaml(
            """
            name: map
            vms:
              - name: exact
                efiMemoryMap:
                  - {type: CONVENTIONAL, physStart: 0, pages: 160}
                  - {type: CONVENTIONAL, physStart: 0x100000, pages: 32512}
                  - {type: 15, physStart: 0x8000000, pages: 229376}
            """);
    assertThat(s.vms().get(0).spec().efiMemoryMap().descriptors()).hasSize(3);

    DocumentException e =
        refused(
            """
            name: map
            vms:
              - name: exact
                memory: 1GiB
                efiMemoryMap:
                  - {type: CONVENTIONAL, physStart: 0, pages: 160}
            """);
    assertThat(e.problems().get(0).message()).contains("give exactly one of memory");
  }
}
