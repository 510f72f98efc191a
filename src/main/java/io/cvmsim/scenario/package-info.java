/**
 * Scenario files (docs/SCENARIOS.md): {@link io.cvmsim.scenario.ScenarioParser} checks a whole file
 * before anything runs, {@link io.cvmsim.scenario.ScenarioRunner} creates its VMs in the registry,
 * runs its steps and evaluates its expectations, {@link io.cvmsim.scenario.JUnitReport} writes the
 * outcome for CI. Outside the core: it reads YAML and JSON and writes XML.
 *
 * <pre>
 * file ──Documents──▶ Node tree (line, column) ──ScenarioParser──▶ Scenario
 *                                                                     │
 *      JUnitReport ◀── ScenarioResult ◀──ScenarioRunner (VmRegistry, GuestVm)──┘
 * </pre>
 */
package io.cvmsim.scenario;
