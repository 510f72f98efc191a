package io.cvmsim;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Starts the cvmsim service: simulated confidential-VM guests over a REST API. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class CvmsimApplication {

  /** Runs the service. */
  public static void main(String[] args) {
    SpringApplication.run(CvmsimApplication.class, args);
  }
}
