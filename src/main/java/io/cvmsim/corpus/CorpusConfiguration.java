package io.cvmsim.corpus;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Reads the bundled real-kernel recordings once, at start. */
@Configuration(proxyBeanMethods = false)
public class CorpusConfiguration {

  /** Returns the recordings under kernel-recordings/ on the classpath. */
  @Bean
  BundledRecordings bundledRecordings() {
    return new BundledRecordings(CorpusConfiguration.class.getClassLoader());
  }
}
