package io.cvmsim.headless;

import java.util.Locale;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;

/**
 * The ways cvmsim runs without a web server: a scenario ({@code --cvmsim.scenario=FILE}), one shard
 * of a sweep ({@code --cvmsim.sweep=FILE}) or a merge of shards ({@code --cvmsim.sweep.merge=DIR}).
 * Any of these settings, from any property source, selects headless mode before the application
 * context exists; {@link HeadlessEnvironmentPostProcessor} then turns the web server off.
 */
public enum HeadlessMode {
  /** The service: a web server, no headless run. */
  NONE,
  /** Run a scenario file and write a JUnit report. */
  SCENARIO,
  /** Run a sweep file, or one shard of it. */
  SWEEP,
  /** Merge a sweep's shard files. */
  MERGE;

  /** The scenario file. */
  public static final String SCENARIO_FILE = "cvmsim.scenario";

  /** Where the JUnit report goes. */
  public static final String REPORT_DIR = "cvmsim.report.dir";

  /** The sweep file. */
  public static final String SWEEP_FILE = "cvmsim.sweep";

  /** The shard, I/N. */
  public static final String SWEEP_SHARD = "cvmsim.sweep.shard";

  /** Where sweep rows (or the merged table) go. */
  public static final String SWEEP_OUT = "cvmsim.sweep.out";

  /** The directory of shard files to merge. */
  public static final String SWEEP_MERGE = "cvmsim.sweep.merge";

  /** Exit code: every expectation passed, or the sweep or merge wrote its files. */
  public static final int OK = 0;

  /** Exit code: an expectation failed, a step could not run, or writing failed. */
  public static final int FAILED = 1;

  /** Exit code: a bad file, bad or missing settings, or shards that cannot be merged. */
  public static final int USAGE = 2;

  /**
   * Returns the mode the environment asks for (the first set of scenario, sweep, merge); {@link
   * HeadlessRun} refuses combinations.
   */
  public static HeadlessMode of(Environment env) {
    if (env.containsProperty(SCENARIO_FILE)) {
      return SCENARIO;
    }
    if (env.containsProperty(SWEEP_MERGE)) {
      return MERGE;
    }
    if (env.containsProperty(SWEEP_FILE)) {
      return SWEEP;
    }
    return NONE;
  }

  /**
   * Returns whether command-line arguments or the process environment ask for headless mode, for
   * use before any Spring environment exists (a failed start then exits with {@link #USAGE}).
   */
  public static boolean requested(String[] args, Map<String, String> env) {
    for (String a : args) {
      String k = a.startsWith("--") ? a.substring(2) : "";
      int eq = k.indexOf('=');
      String key = eq < 0 ? k : k.substring(0, eq);
      if (key.equals(SCENARIO_FILE) || key.equals(SWEEP_FILE) || key.equals(SWEEP_MERGE)) {
        return true;
      }
    }
    for (String key : new String[] {SCENARIO_FILE, SWEEP_FILE, SWEEP_MERGE}) {
      if (env.containsKey(key.toUpperCase(Locale.ROOT).replace('.', '_'))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Ends the process with the headless run's exit code once the context has started, closing the
   * context first; does nothing when the service runs.
   */
  public static void exitWhenDone(ConfigurableApplicationContext context) {
    if (context.getBeanProvider(HeadlessRun.class).getIfAvailable() != null) {
      System.exit(SpringApplication.exit(context));
    }
  }
}
