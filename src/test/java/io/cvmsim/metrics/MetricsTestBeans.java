package io.cvmsim.metrics;

import io.cvmsim.core.jobs.JobManager;
import io.cvmsim.core.vm.VmLimits;
import io.cvmsim.core.vm.VmRegistry;
import io.cvmsim.core.vm.VmSettings;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * The core beans the metrics tests need, until the service's configuration (io.cvmsim.config)
 * provides them: imported only by this package's Spring tests, named apart and {@code @Primary} so
 * they win over, and do not clash with, the service's own beans once those exist.
 */
@TestConfiguration(proxyBeanMethods = false)
class MetricsTestBeans {

  @Bean
  @Primary
  VmRegistry metricsTestVmRegistry() {
    return new VmRegistry(VmLimits.DEFAULTS, VmSettings.DEFAULTS);
  }

  @Bean(destroyMethod = "close")
  @Primary
  JobManager metricsTestJobManager() {
    return new JobManager(2, 8, 8);
  }
}
