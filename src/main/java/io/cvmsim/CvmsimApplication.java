package io.cvmsim;

import io.cvmsim.headless.HeadlessMode;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts the cvmsim service: simulated confidential-VM guests over a REST API; or, headless, runs a
 * scenario, a sweep shard or a merge and exits with its code (see {@link HeadlessMode}).
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class CvmsimApplication {

  /** Runs the service, or a headless run that ends the process with its exit code. */
  public static void main(String[] args) {
    ConfigurableApplicationContext context;
    try {
      context = SpringApplication.run(CvmsimApplication.class, args);
    } catch (RuntimeException e) {
      if (HeadlessMode.requested(args, System.getenv())) {
        System.exit(HeadlessMode.USAGE);
      }
      throw e;
    }
    HeadlessMode.exitWhenDone(context);
  }
}
