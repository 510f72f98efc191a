package io.cvmsim.metrics;

import io.cvmsim.core.vm.VmRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Binds the guests' meters to the registry behind {@code /actuator/prometheus}. The {@link
 * VmRegistry} bean comes from the service's configuration; this package only reads it.
 */
@Configuration(proxyBeanMethods = false)
class MetricsConfiguration {

  private static final Logger log = LoggerFactory.getLogger(MetricsConfiguration.class);

  /**
   * Returns the binder Spring Boot applies to its meter registry once all singletons exist. It
   * looks the {@link VmRegistry} up only then, and binds nothing (with a warning) without one.
   */
  @Bean
  MeterBinder guestVmMeterBinder(ObjectProvider<VmRegistry> vms) {
    return registry -> {
      VmRegistry vmRegistry = vms.getIfAvailable();
      if (vmRegistry == null) {
        log.warn("No VmRegistry bean: the cvm_* metrics are not served");
        return;
      }
      new VmMeterBinder(vmRegistry).bindTo(registry);
    };
  }
}
