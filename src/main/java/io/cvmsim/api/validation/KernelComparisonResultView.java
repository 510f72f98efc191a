package io.cvmsim.api.validation;

import io.cvmsim.api.web.JobResultView;
import io.cvmsim.core.validation.ComparisonReport;
import io.cvmsim.core.validation.KernelComparison;
import org.springframework.stereotype.Component;

/** A finished comparison job answers as POST /api/v1/experiments/kernel-comparison would. */
@Component
class KernelComparisonResultView implements JobResultView<KernelComparison.Result> {

  @Override
  public Class<KernelComparison.Result> type() {
    return KernelComparison.Result.class;
  }

  @Override
  public Object json(KernelComparison.Result result) {
    return KernelComparisonResponse.of(result);
  }

  @Override
  public String csv(KernelComparison.Result result) {
    return ComparisonReport.csv(result);
  }
}
