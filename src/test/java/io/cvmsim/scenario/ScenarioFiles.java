package io.cvmsim.scenario;

import io.cvmsim.core.memory.Sizes;
import io.cvmsim.scenario.doc.DocumentException;
import io.cvmsim.scenario.doc.Documents;

/** Scenario texts for tests, parsed with the default limits. */
public final class ScenarioFiles {

  /** The defaults of cvmsim.limits. */
  public static final ScenarioLimits LIMITS =
      new ScenarioLimits(64, 4 * Sizes.TIB, 64 * Sizes.TIB, 100_000, 16 * Sizes.MIB);

  private ScenarioFiles() {}

  /** Returns the scenario a YAML text describes. */
  public static Scenario yaml(String text) {
    return ScenarioParser.parse(text, Documents.Format.YAML, "test.yaml", LIMITS, 42);
  }

  /** Returns the refusal of a YAML text, failing if it is accepted. */
  public static DocumentException refused(String text, ScenarioLimits limits) {
    try {
      ScenarioParser.parse(text, Documents.Format.YAML, "test.yaml", limits, 42);
    } catch (DocumentException e) {
      return e;
    }
    throw new AssertionError("accepted:\n" + text);
  }

  /** Returns the refusal of a YAML text under the default limits. */
  public static DocumentException refused(String text) {
    return refused(text, LIMITS);
  }
}
