package io.cvmsim.api.experiment;

import io.cvmsim.api.web.JobResultView;
import io.cvmsim.core.experiment.BootTimeExperiment;
import org.springframework.stereotype.Component;

/** A finished boot-time job answers as POST /api/v1/experiments/boot-time would. */
@Component
class BootTimeResultView implements JobResultView<BootTimeExperiment.Result> {

  @Override
  public Class<BootTimeExperiment.Result> type() {
    return BootTimeExperiment.Result.class;
  }

  @Override
  public Object json(BootTimeExperiment.Result result) {
    return BootTimeResponse.of(result);
  }

  @Override
  public String csv(BootTimeExperiment.Result result) {
    return BootTimeExperiment.csv(result);
  }
}
