package io.cvmsim.scenario;

import io.cvmsim.config.CvmsimProperties;
import io.cvmsim.core.memory.Sizes;
import io.cvmsim.scenario.doc.DocumentException;
import io.cvmsim.scenario.doc.Problem;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The limits a scenario or sweep file is held to: the API's own ({@code cvmsim.limits.*}).
 *
 * @param maxVms VMs one file may create (and the registry's capacity while it runs)
 * @param maxMemoryPerVm guest RAM of one VM
 * @param maxTotalMemory guest RAM of all VMs of one file together
 * @param maxBatch blocks per allocate step, pfns per free step
 * @param maxFileBytes the file's size (the API's request-body limit)
 */
public record ScenarioLimits(
    int maxVms, long maxMemoryPerVm, long maxTotalMemory, int maxBatch, long maxFileBytes) {

  /** Returns the limits configured under {@code cvmsim.limits}. */
  public static ScenarioLimits of(CvmsimProperties.Limits limits) {
    return new ScenarioLimits(
        limits.maxVms(),
        limits.maxMemoryPerVm().bytes(),
        limits.maxTotalMemory().bytes(),
        limits.maxBatch(),
        limits.maxRequestBytes().bytes());
  }

  /**
   * Refuses a file over the request-body limit before it is parsed.
   *
   * @throws DocumentException (OVER_LIMIT)
   */
  public void checkFile(String text, String source) {
    long bytes = text.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > maxFileBytes) {
      throw new DocumentException(
          DocumentException.Kind.OVER_LIMIT,
          source,
          List.of(
              new Problem(
                  1,
                  1,
                  "",
                  "the file has "
                      + bytes
                      + " bytes, over cvmsim.limits.max-request-bytes ("
                      + Sizes.format(maxFileBytes)
                      + ")")));
    }
  }
}
