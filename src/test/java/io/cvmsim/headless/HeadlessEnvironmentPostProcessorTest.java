package io.cvmsim.headless;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.mock.env.MockEnvironment;

class HeadlessEnvironmentPostProcessorTest {

  final HeadlessEnvironmentPostProcessor processor = new HeadlessEnvironmentPostProcessor();

  @Test
  void aScenarioSweepOrMerge_turnsTheWebServerOff_andLogsToStderr() {
    for (String key : new String[] {"cvmsim.scenario", "cvmsim.sweep", "cvmsim.sweep.merge"}) {
      MockEnvironment env = new MockEnvironment().withProperty(key, "x");

      processor.postProcessEnvironment(env, new SpringApplication());

      assertThat(env.getProperty("spring.main.web-application-type")).as(key).isEqualTo("none");
      assertThat(env.getProperty("spring.main.banner-mode")).isEqualTo("off");
      assertThat(env.getProperty("logging.config"))
          .isEqualTo(HeadlessEnvironmentPostProcessor.LOGGING_CONFIG);
      assertThat(getClass().getResource("/io/cvmsim/headless/logback-headless.xml")).isNotNull();
    }
  }

  @Test
  void theService_isLeftAsItIs() {
    MockEnvironment env = new MockEnvironment().withProperty("cvmsim.sweep.out", "d");

    processor.postProcessEnvironment(env, new SpringApplication());

    assertThat(env.getPropertySources().contains(HeadlessEnvironmentPostProcessor.SOURCE))
        .isFalse();
    assertThat(env.getProperty("spring.main.web-application-type")).isNull();
  }

  @Test
  void aLoggingConfigOfTheUsers_isKept() {
    MockEnvironment env =
        new MockEnvironment()
            .withProperty("cvmsim.scenario", "x")
            .withProperty("logging.config", "classpath:mine.xml");

    processor.postProcessEnvironment(env, new SpringApplication());

    assertThat(env.getProperty("logging.config")).isEqualTo("classpath:mine.xml");
  }
}
