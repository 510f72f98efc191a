package io.cvmsim.scenario;

import io.cvmsim.core.memory.Gfp;
import io.cvmsim.core.vm.VmSpec;
import io.cvmsim.core.workload.WorkloadType;
import io.cvmsim.scenario.doc.Mark;
import io.cvmsim.scenario.expr.Comparison;
import java.util.List;
import java.util.Map;

/**
 * A checked scenario file: VMs to create, steps to run in order and expectations to evaluate.
 * {@link ScenarioParser} builds it only when the whole file is valid.
 *
 * @param name the scenario's name (the JUnit report's suite)
 * @param description free text, or null
 * @param source the file's name as messages show it
 * @param vms the VMs, in file order
 * @param steps the steps, in file order
 * @param expectations the expectations evaluated after the last step
 */
public record Scenario(
    String name,
    String description,
    String source,
    List<Vm> vms,
    List<Step> steps,
    List<Expectation> expectations) {

  /**
   * A VM the scenario creates.
   *
   * @param name its name in the file
   * @param spec what it is created from (without a registry name)
   * @param mark where it is declared
   */
  public record Vm(String name, VmSpec spec, Mark mark) {}

  /**
   * One expectation.
   *
   * @param name its name in reports (the expression when none is given)
   * @param comparison the checked expression
   * @param mark where its text starts
   */
  public record Expectation(String name, Comparison comparison, Mark mark) {}

  /** One step; {@code id} is null when the file gives none. */
  public sealed interface Step
      permits Boot, Allocate, Free, Accept, RunWorkload, Snapshot, Wait, Expect {

    /** Returns the step's number, from 1, in file order. */
    int number();

    /** Returns the id the file gives it, or null. */
    String id();

    /** Returns where it is declared. */
    Mark mark();

    /** Returns the VM it acts on, or null for wait and expect. */
    String vm();

    /** Returns its kind as the file writes it ("allocate", ...). */
    String kind();
  }

  /** Continues a boot stopped at FIRMWARE or EFI_STUB to KERNEL. */
  public record Boot(int number, String id, Mark mark, String vm) implements Step {
    @Override
    public String kind() {
      return "boot";
    }
  }

  /** Allocates {@code count} blocks of {@code order} with {@code gfp}. */
  public record Allocate(int number, String id, Mark mark, String vm, Gfp gfp, int order, int count)
      implements Step {
    @Override
    public String kind() {
      return "allocate";
    }
  }

  /** Frees the given head pfns, or every block of an earlier allocate step still live. */
  public record Free(int number, String id, Mark mark, String vm, long[] pfns, String fromStep)
      implements Step {
    @Override
    public String kind() {
      return "free";
    }
  }

  /** Calls accept_memory(start, end). */
  public record Accept(int number, String id, Mark mark, String vm, long start, long end)
      implements Step {
    @Override
    public String kind() {
      return "accept";
    }
  }

  /** Runs a workload to completion, or starts it in the background. */
  public record RunWorkload(
      int number,
      String id,
      Mark mark,
      String vm,
      WorkloadType type,
      Map<String, Object> parameters,
      boolean background)
      implements Step {
    @Override
    public String kind() {
      return "workload";
    }
  }

  /**
   * Records the VM's views (meminfo, buddyinfo, zoneinfo, vmstat) under a label. When VM export
   * lands (issue 15, item 1) this step will also keep the exported state under the label.
   */
  public record Snapshot(int number, String id, Mark mark, String vm, String label)
      implements Step {
    @Override
    public String kind() {
      return "snapshot";
    }
  }

  /** Waits for background workloads: the given step ids, or all started so far when empty. */
  public record Wait(int number, String id, Mark mark, List<String> steps) implements Step {
    @Override
    public String vm() {
      return null;
    }

    @Override
    public String kind() {
      return "wait";
    }
  }

  /** Evaluates expectations at this point. */
  public record Expect(int number, String id, Mark mark, List<Expectation> expectations)
      implements Step {
    @Override
    public String vm() {
      return null;
    }

    @Override
    public String kind() {
      return "expect";
    }
  }
}
