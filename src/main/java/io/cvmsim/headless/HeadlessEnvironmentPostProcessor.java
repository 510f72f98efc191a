package io.cvmsim.headless;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Turns a headless run into a plain application before the context is created: no web server
 * ({@code spring.main.web-application-type=none}), no banner, and console logging to standard error
 * ({@code logback-headless.xml}, unless {@code logging.config} is set), so that standard output
 * stays free and a pipeline sees problems on stderr. Runs after the configuration files are read,
 * so a headless setting from any source counts.
 */
public class HeadlessEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

  /** The name of the property source this adds. */
  static final String SOURCE = "cvmsimHeadless";

  /** The logging configuration of headless runs. */
  static final String LOGGING_CONFIG = "classpath:io/cvmsim/headless/logback-headless.xml";

  @Override
  public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
    if (HeadlessMode.of(env) == HeadlessMode.NONE) {
      return;
    }
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("spring.main.web-application-type", "none");
    p.put("spring.main.banner-mode", "off");
    p.put("spring.main.log-startup-info", "false");
    if (!env.containsProperty("logging.config")) {
      p.put("logging.config", LOGGING_CONFIG);
    }
    env.getPropertySources().addFirst(new MapPropertySource(SOURCE, p));
  }

  @Override
  public int getOrder() {
    return Ordered.LOWEST_PRECEDENCE;
  }
}
