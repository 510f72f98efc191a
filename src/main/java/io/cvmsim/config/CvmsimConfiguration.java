package io.cvmsim.config;

import io.cvmsim.core.jobs.JobManager;
import io.cvmsim.core.vm.VmRegistry;
import io.cvmsim.core.vm.VmSettings;
import io.cvmsim.corpus.CorpusConfiguration;
import org.springframework.boot.context.properties.ConfigurationPropertiesBinding;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.type.LogicalType;

/**
 * Wires the simulator core from {@link CvmsimProperties}: the guests' settings, the registry of
 * live guests, and the job manager (closed on shutdown; deleting a guest cancels and forgets its
 * jobs); and reads JSON strictly.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CvmsimProperties.class)
@Import(CorpusConfiguration.class)
public class CvmsimConfiguration {

  /** Returns the converters for sizes ("4TiB") and page sizes ("2M") in configuration. */
  @Bean
  @ConfigurationPropertiesBinding
  static ConfigurationConverters cvmsimConfigurationConverters() {
    return new ConfigurationConverters();
  }

  /** Returns the settings every guest is built with. */
  @Bean
  VmSettings vmSettings(CvmsimProperties properties) {
    return properties.vmSettings();
  }

  /** Returns the registry of live guests. */
  @Bean
  VmRegistry vmRegistry(CvmsimProperties properties, VmSettings settings) {
    return new VmRegistry(properties.limits().vmLimits(), settings);
  }

  /** Returns the job executor; a deleted guest's jobs are cancelled and forgotten. */
  @Bean(destroyMethod = "close")
  JobManager jobManager(CvmsimProperties properties, VmRegistry registry) {
    CvmsimProperties.Jobs jobs = properties.jobs();
    JobManager manager =
        new JobManager(jobs.threads(), jobs.queueCapacity(), jobs.maxFinishedExperiments());
    registry.onRemove(vm -> manager.removeForVm(vm.id()));
    return manager;
  }

  /**
   * Returns the strictness {@code spring.jackson.*} cannot set: a JSON object with a key given
   * twice is malformed, not silently its last value; and a number or {@code true} where a string
   * belongs is the wrong type, not its text ({@code spring.jackson.mapper} refuses the other way, a
   * string where a number belongs). Each is a 400 naming the field.
   */
  @Bean
  JsonMapperBuilderCustomizer strictJson() {
    return builder ->
        builder
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .withCoercionConfig(
                LogicalType.Textual,
                c ->
                    c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail));
  }
}
