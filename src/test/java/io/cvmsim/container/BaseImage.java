package io.cvmsim.container;

import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides which base image the container test builds the service's image on.
 *
 * <ol>
 *   <li>The configured one ({@code -Dit.base.image}, default {@code local/jre17:bookworm}) when
 *       Docker has it, or when it is not a {@code local/} image (the build pulls those).
 *   <li>A missing {@code local/} image in CI ({@code CI=true} or {@code -Ddocker.required=true}): a
 *       failure, because CI builds it first ({@code .ci/run}).
 *   <li>Elsewhere, as a new user runs {@code ./mvnw verify}: build it with {@code
 *       .ci/build-base-image.sh} when that can run here (root, debootstrap, the docker command);
 *   <li>else (or when that build fails) {@value #FALLBACK}, when Docker has it or a registry
 *       answers its pull within a few seconds;
 *   <li>else skip the test, with the reason.
 * </ol>
 */
final class BaseImage {

  /** The public JRE 17 image the Dockerfile defaults to. */
  static final String FALLBACK = "eclipse-temurin:17-jre";

  private static final Logger log = LoggerFactory.getLogger(BaseImage.class);

  private BaseImage() {}

  /** What the decision needs to know about this machine; each call may be slow. */
  interface Probes {
    /** Returns whether Docker has {@code image}. */
    boolean exists(String image);

    /** Returns why {@code .ci/build-base-image.sh} cannot run here, or null when it can. */
    String cannotBuild();

    /**
     * Builds {@code image} with {@code .ci/build-base-image.sh}; returns null, or why it failed.
     */
    String build(String image);

    /**
     * Pulls {@code image}, giving up when no registry answers within a few seconds; returns null,
     * or why it failed.
     */
    String pull(String image);
  }

  /**
   * The outcome: an image to use (with a note on how it came to be there), a reason to skip, or a
   * failure. Exactly one of {@code image}, {@code skip} and {@code failure} is set.
   */
  record Decision(String image, String note, String skip, String failure) {
    static Decision use(String image, String note) {
      return new Decision(image, note, null, null);
    }

    static Decision skip(String reason) {
      return new Decision(null, null, reason, null);
    }

    static Decision fail(String reason) {
      return new Decision(null, null, null, reason);
    }
  }

  /** Returns the base image to use for {@code configured}; {@code required}: in CI. */
  static Decision decide(String configured, boolean required, Probes probes) {
    if (!configured.startsWith("local/")) {
      return Decision.use(configured, configured + " as configured; the build pulls it if needed");
    }
    if (probes.exists(configured)) {
      return Decision.use(configured, configured + " is there");
    }
    String missing = "Base image " + configured + " is missing";
    if (required) {
      return Decision.fail(
          missing
              + " (in CI, .ci/run builds it before the tests): build it with"
              + " .ci/build-base-image.sh (root, debootstrap), or pass -Dit.base.image=<a JRE 17"
              + " image Docker has>");
    }
    String cannotBuild = probes.cannotBuild();
    String buildFailure = null;
    if (cannotBuild == null) {
      log.info(
          "{}: building it with .ci/build-base-image.sh (root and debootstrap are here), once for"
              + " this run; about a minute on a quiet machine, more on a busy one or a slow mirror",
          missing);
      long start = System.nanoTime();
      buildFailure = probes.build(configured);
      String took = seconds(start);
      if (buildFailure == null && probes.exists(configured)) {
        log.info("Built base image {} with .ci/build-base-image.sh in {} s", configured, took);
        return Decision.use(configured, "built with .ci/build-base-image.sh in " + took + " s");
      }
      if (buildFailure == null) {
        buildFailure = "the script ended, but Docker has no " + configured;
      }
      log.warn("Building base image {} failed after {} s: {}", configured, took, buildFailure);
    }
    if (probes.exists(FALLBACK)) {
      log.info("{}; using {}, which Docker has", missing, FALLBACK);
      return Decision.use(FALLBACK, FALLBACK + " instead, which Docker has");
    }
    long start = System.nanoTime();
    String pullFailure = probes.pull(FALLBACK);
    if (pullFailure == null) {
      log.info("{}; pulled {} in {} s and using it", missing, FALLBACK, seconds(start));
      return Decision.use(FALLBACK, FALLBACK + " instead, pulled from a registry");
    }
    String reason =
        missing
            + "; it cannot be built here ("
            + (cannotBuild != null ? cannotBuild : "the build failed: " + buildFailure)
            + ") and "
            + FALLBACK
            + " cannot be pulled ("
            + pullFailure
            + "). Build it with .ci/build-base-image.sh (root, debootstrap), or pass"
            + " -Dit.base.image=<a JRE 17 image Docker has>";
    log.warn("Skipping the tests that build the image: {}", reason);
    return Decision.skip(reason);
  }

  private static String seconds(long start) {
    return String.format(Locale.ROOT, "%.1f", (System.nanoTime() - start) / 1e9);
  }
}
