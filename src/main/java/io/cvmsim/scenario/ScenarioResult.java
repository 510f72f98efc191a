package io.cvmsim.scenario;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * What a scenario run did: every VM, every step and every expectation, with pass or fail and the
 * actual and expected values. It is the result of a scenario job and the source of the JUnit
 * report.
 *
 * @param name the scenario's name
 * @param description its description, or null
 * @param runId the run's id (the suffix of its VMs' registry names)
 * @param passed whether every step ran and every expectation passed
 * @param expectationsPassed expectations that passed
 * @param expectationsFailed expectations that did not hold
 * @param expectationsErrored expectations that could not be evaluated
 * @param keptVms whether the VMs were kept after the run
 * @param vms the VMs
 * @param steps the steps, in order
 * @param expectations the expectations, in the order they were evaluated
 */
public record ScenarioResult(
    String name,
    String description,
    String runId,
    boolean passed,
    int expectationsPassed,
    int expectationsFailed,
    int expectationsErrored,
    boolean keptVms,
    List<VmOutcome> vms,
    List<StepOutcome> steps,
    List<ExpectationOutcome> expectations) {

  /** How a step, VM or expectation ended. */
  public enum Status {
    PASSED,
    FAILED,
    ERROR,
    SKIPPED
  }

  /**
   * One VM.
   *
   * @param name its name in the file
   * @param id its id in the registry, or null if it was not created
   * @param registryName its name in the registry (the file's name, "-", the run id)
   * @param status PASSED when created, ERROR when creation was refused
   * @param message why creation was refused, or null
   */
  public record VmOutcome(
      String name, String id, String registryName, Status status, String message) {}

  /**
   * One step.
   *
   * @param number its number, from 1
   * @param kind boot, allocate, free, accept, workload, snapshot, wait or expect
   * @param id its id, or null
   * @param vm the VM it acted on, or null
   * @param line where it is declared
   * @param status PASSED, FAILED (an expect step with a failed expectation), ERROR (it could not
   *     run: the scenario stops) or SKIPPED (after an error)
   * @param message what went wrong, or null
   * @param values what it reported (steps.&lt;id&gt;.&lt;field&gt;), or empty
   * @param millis real time it took
   */
  public record StepOutcome(
      int number,
      String kind,
      String id,
      String vm,
      int line,
      Status status,
      String message,
      Map<String, BigDecimal> values,
      long millis) {}

  /**
   * One expectation.
   *
   * @param name its name (the expression when the file gives none)
   * @param expression the expression
   * @param line its line
   * @param column its column
   * @param step the expect step's number, or null for the file's final expectations
   * @param status PASSED, FAILED, ERROR (could not be evaluated) or SKIPPED (an earlier step could
   *     not run)
   * @param actual the left value as people read it, or null
   * @param expected the operator and right value as people read them, or null
   * @param actualValue the left value as a number, or null
   * @param expectedValue the right value as a number, or null
   * @param unit "bytes" or "seconds" for those values, else null
   * @param message why it failed or errored, where views differ, or null
   * @param millis real time the evaluation took
   */
  public record ExpectationOutcome(
      String name,
      String expression,
      int line,
      int column,
      Integer step,
      Status status,
      String actual,
      String expected,
      BigDecimal actualValue,
      BigDecimal expectedValue,
      String unit,
      String message,
      long millis) {}
}
