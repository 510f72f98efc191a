package io.cvmsim.headless;

import io.cvmsim.config.CvmsimProperties;
import io.cvmsim.core.vm.VmRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.ExitCodeGenerator;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * In headless mode, runs the scenario, sweep or merge once the context has started and hands its
 * exit code to {@code SpringApplication.exit}; absent otherwise.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(HeadlessConfiguration.Headless.class)
class HeadlessConfiguration {

  /** Matches when a headless setting is present. */
  static final class Headless implements org.springframework.context.annotation.Condition {
    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
      return HeadlessMode.of(context.getEnvironment()) != HeadlessMode.NONE;
    }
  }

  /** Returns the run, built from the headless settings. */
  @Bean
  HeadlessRun headlessRun(
      Environment env,
      CvmsimProperties properties,
      VmRegistry registry,
      ObjectProvider<BuildProperties> build) {
    BuildProperties b = build.getIfAvailable();
    return new HeadlessRun(
        new HeadlessRun.Settings(
            env.getProperty(HeadlessMode.SCENARIO_FILE),
            env.getProperty(HeadlessMode.REPORT_DIR),
            env.getProperty(HeadlessMode.SWEEP_FILE),
            env.getProperty(HeadlessMode.SWEEP_SHARD),
            env.getProperty(HeadlessMode.SWEEP_OUT),
            env.getProperty(HeadlessMode.SWEEP_MERGE)),
        properties,
        registry,
        b != null ? b.getVersion() : "unknown");
  }

  /** Returns the runner that runs it after the context started. */
  @Bean
  ApplicationRunner headlessRunner(HeadlessRun run) {
    return args -> run.run();
  }

  /** Returns the run's exit code for {@code SpringApplication.exit}. */
  @Bean
  ExitCodeGenerator headlessExitCode(HeadlessRun run) {
    return run::exitCode;
  }
}
