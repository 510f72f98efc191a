package io.cvmsim.scenario;

import static io.cvmsim.scenario.ScenarioFiles.yaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cvmsim.core.jobs.JobCancelledException;
import io.cvmsim.core.jobs.JobContext;
import io.cvmsim.core.vm.VmLimits;
import io.cvmsim.core.vm.VmRegistry;
import io.cvmsim.core.vm.VmSettings;
import io.cvmsim.scenario.ScenarioResult.ExpectationOutcome;
import io.cvmsim.scenario.ScenarioResult.Status;
import io.cvmsim.scenario.ScenarioResult.StepOutcome;
import java.math.BigDecimal;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ScenarioRunnerTest {

  final VmRegistry registry = new VmRegistry(VmLimits.DEFAULTS, VmSettings.DEFAULTS);
  final ScenarioRunner runner = new ScenarioRunner(registry, 42);

  private ScenarioResult run(String yaml) {
    return runner.run(yaml(yaml), "run001", false, null);
  }

  @Test
  void passingScenario_reportsEveryStepAndExpectation_andDeletesItsVms() {
    ScenarioResult r =
        run(
            """
            name: pass
            vms: [{name: g, memory: 2GiB}]
            steps:
              - allocate: {id: a, order: 2, count: 100, gfp: GFP_KERNEL}
              - expect: steps.a.allocated == 100
              - free: {step: a, id: f}
              - accept: {id: acc, start: 0x100000000, end: 0x140000000}
            expect:
              - steps.f.freed == 100
              - steps.acc.acceptedBytes >= 0
              - meminfo.MemTotal > 1GiB
            """);

    assertThat(r.passed()).isTrue();
    assertThat(r.expectationsPassed()).isEqualTo(4);
    assertThat(r.vms())
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.registryName()).isEqualTo("g-run001");
              assertThat(v.status()).isEqualTo(Status.PASSED);
            });
    assertThat(r.steps()).extracting(StepOutcome::status).containsOnly(Status.PASSED);
    assertThat(r.steps().get(0).values()).containsEntry("allocated", BigDecimal.valueOf(100));
    assertThat(registry.size()).isZero();
  }

  @Test
  void failingExpectation_isFailedWithActualAndExpected_andTheRunGoesOn() {
    ScenarioResult r =
        run(
            """
            name: fail
            vms: [{name: g, memory: 2GiB}]
            steps:
              - expect: meminfo.Unaccepted < 1MiB
              - allocate: {id: a, count: 3}
            expect:
              - steps.a.allocated == 3
            """);

    assertThat(r.passed()).isFalse();
    ExpectationOutcome first = r.expectations().get(0);
    assertThat(first.status()).isEqualTo(Status.FAILED);
    assertThat(first.actual()).contains("MiB");
    assertThat(first.expected()).isEqualTo("< 1MiB");
    assertThat(first.unit()).isEqualTo("bytes");
    assertThat(first.actualValue()).isGreaterThan(BigDecimal.valueOf(1 << 20));
    assertThat(first.line()).isEqualTo(4);
    assertThat(first.column()).isEqualTo(13);
    assertThat(first.message()).startsWith("expected < 1MiB, got ");
    assertThat(r.steps().get(0).status()).isEqualTo(Status.FAILED);
    assertThat(r.expectations().get(1).status()).isEqualTo(Status.PASSED);
  }

  @Test
  void aStepTheCoreRefuses_stopsTheRun_laterStepsAndExpectationsAreSkipped() {
    ScenarioResult r =
        run(
            """
            name: stop
            vms: [{name: g, memory: 1GiB, bootTo: FIRMWARE}]
            steps:
              - allocate: {count: 1}
              - boot: g
              - expect: meminfo.MemFree > 0
            expect:
              - meminfo.MemFree > 0
            """);

    assertThat(r.passed()).isFalse();
    assertThat(r.steps())
        .extracting(StepOutcome::status)
        .containsExactly(Status.ERROR, Status.SKIPPED, Status.SKIPPED);
    assertThat(r.steps().get(0).message()).contains("no page allocator yet");
    assertThat(r.expectations())
        .extracting(ExpectationOutcome::status)
        .containsExactly(Status.SKIPPED, Status.SKIPPED);
    assertThat(r.expectations().get(0).message()).startsWith("not evaluated: step 1 (allocate)");
  }

  @Test
  void aValueThatCannotBeReadNow_isAnError_notAFailure() {
    ScenarioResult r =
        run(
            """
            name: early
            vms: [{name: g, memory: 1GiB, bootTo: EFI_STUB}]
            steps:
              - expect: meminfo.MemFree > 0
              - boot: g
            expect:
              - meminfo.MemFree > 0
              - table.unacceptedBytes >= 0
            """);

    assertThat(r.expectations())
        .extracting(ExpectationOutcome::status)
        .containsExactly(Status.ERROR, Status.PASSED, Status.PASSED);
    assertThat(r.expectations().get(0).message()).startsWith("could not be evaluated:");
    assertThat(r.expectationsErrored()).isEqualTo(1);
    assertThat(r.passed()).isFalse();
  }

  @Test
  void backgroundWorkloads_runWhileOtherStepsRun_andWaitCollectsTheirResults() {
    ScenarioResult r =
        run(
            """
            name: bg
            vms: [{name: a, memory: 1GiB}, {name: b, memory: 1GiB}]
            steps:
              - workload: {vm: a, id: ha, type: memory-hog, fill: 0.5, release: 0, background: true}
              - workload: {vm: b, id: hb, type: memory-hog, fill: 0.5, release: 0, background: true}
              - wait: all
            expect:
              - steps.ha.allocations == steps.hb.allocations
              - steps.ha.failures == 0
            """);

    assertThat(r.passed()).as(r.toString()).isTrue();
    assertThat(r.steps().get(0).values()).isEmpty();
  }

  @Test
  void sameSeedOnTwoLikeGuests_givesIdenticalSnapshots() {
    ScenarioResult r =
        run(
            """
            name: twins
            vms: [{name: a, memory: 1GiB}, {name: b, memory: 1GiB}]
            steps:
              - workload: {vm: a, type: fragmenter, fill: 0.3, seed: 5}
              - workload: {vm: b, type: fragmenter, fill: 0.3, seed: 5}
              - snapshot: {vm: a, label: sa}
              - snapshot: {vm: b, label: sb}
              - allocate: {vm: b}
              - snapshot: {vm: b, label: sb2}
            expect:
              - snapshot.sa == snapshot.sb
              - snapshot.sa == snapshot.sb2
            """);

    assertThat(r.expectations().get(0).status()).isEqualTo(Status.PASSED);
    ExpectationOutcome differs = r.expectations().get(1);
    assertThat(differs.status()).isEqualTo(Status.FAILED);
    // The first line that differs: one order-0 page comes from CPU 0's per-cpu list, which is not
    // in MemFree (NR_FREE_PAGES), so a later line tells the two apart.
    assertThat(differs.message()).containsPattern("meminfo line \\d+: ");
  }

  @Test
  void keepVms_leavesThemRegistered_underTheirRunNames() {
    ScenarioResult r =
        runner.run(yaml("name: keep\nvms: [{name: g, memory: 1GiB}]\n"), "keep01", true, null);

    assertThat(r.keptVms()).isTrue();
    assertThat(registry.get("g-keep01").id()).isEqualTo(r.vms().get(0).id());
  }

  @Test
  void aVmTheRegistryRefuses_endsTheRunBeforeAnyStep() {
    VmRegistry full = new VmRegistry(new VmLimits(1, 1L << 42, 1L << 42), VmSettings.DEFAULTS);
    ScenarioResult r =
        new ScenarioRunner(full, 1)
            .run(
                yaml(
                    """
                    name: full
                    vms: [{name: a, memory: 1GiB}, {name: b, memory: 1GiB}]
                    steps:
                      - allocate: {vm: a}
                    expect:
                      - meminfo(a).MemFree > 0
                    """),
                "full01",
                false,
                null);

    assertThat(r.vms())
        .extracting(ScenarioResult.VmOutcome::status)
        .containsExactly(Status.PASSED, Status.ERROR);
    assertThat(r.vms().get(1).message()).contains("maximum of 1 VMs");
    assertThat(r.steps()).extracting(StepOutcome::status).containsExactly(Status.SKIPPED);
    assertThat(full.size()).isZero();
  }

  @Test
  void cancellation_stopsTheRunAndDeletesTheVms_evenWhenAskedToKeepThem() {
    AtomicInteger checks = new AtomicInteger();
    JobContext cancelledAfterTheVms =
        new JobContext() {
          @Override
          public void progress(double fraction) {}

          @Override
          public boolean cancelled() {
            return checks.incrementAndGet() > 1;
          }
        };
    Scenario s = yaml("name: c\nvms: [{name: g, memory: 1GiB}]\nsteps:\n  - allocate: {}\n");

    assertThatThrownBy(() -> runner.run(s, "can001", true, cancelledAfterTheVms))
        .isInstanceOf(JobCancelledException.class);
    assertThat(checks.get()).isEqualTo(2);
    assertThat(registry.size()).isZero();
  }
}
