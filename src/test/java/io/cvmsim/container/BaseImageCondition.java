package io.cvmsim.container;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.PullResponseItem;
import io.cvmsim.support.RequiredToolCondition;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;

/**
 * Runs, skips or fails the tests that build the service's image, by the base image {@link
 * BaseImage} decides on (once per run: failsafe runs the ITs in one JVM). Put it after {@link
 * io.cvmsim.support.RequiresDocker}; the tests read the image with {@link #image()}.
 */
final class BaseImageCondition implements ExecutionCondition {

  /** Seconds a registry has to answer a pull before it counts as unreachable. */
  static final int ANSWER_SECONDS = 5;

  private static BaseImage.Decision decision;

  /** Returns the decision, made on the first call. */
  static synchronized BaseImage.Decision decision() {
    if (decision == null) {
      String configured = System.getProperty("it.base.image", "local/jre17:bookworm");
      decision =
          BaseImage.decide(
              configured, RequiredToolCondition.isRequired("docker"), new DockerProbes());
    }
    return decision;
  }

  /** Returns the base image to build on; only valid in tests this condition enabled. */
  static String image() {
    return decision().image();
  }

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    BaseImage.Decision d = decision();
    if (d.failure() != null) {
      throw new IllegalStateException(d.failure());
    }
    if (d.skip() != null) {
      return ConditionEvaluationResult.disabled(d.skip());
    }
    return ConditionEvaluationResult.enabled("base image " + d.image() + ": " + d.note());
  }

  /** The probes on this machine's Docker engine. */
  static final class DockerProbes implements BaseImage.Probes {

    private static final Path SCRIPT = Path.of(".ci", "build-base-image.sh");
    private static final Path LOG = Path.of("target", "base-image-build.log");

    @Override
    public boolean exists(String image) {
      try {
        DockerClientFactory.instance().client().inspectImageCmd(image).exec();
        return true;
      } catch (NotFoundException e) {
        return false;
      }
    }

    @Override
    public String cannotBuild() {
      if (!root()) {
        return "not running as root";
      }
      for (String command : List.of("debootstrap", "docker")) {
        if (!onPath(command)) {
          return command + " is not installed";
        }
      }
      if (!Files.isExecutable(SCRIPT)) {
        return SCRIPT + " is missing";
      }
      return null;
    }

    @Override
    public String build(String image) {
      try {
        Files.createDirectories(LOG.getParent());
        Process p =
            new ProcessBuilder(SCRIPT.toString(), image)
                .redirectErrorStream(true)
                .redirectOutput(LOG.toFile())
                .start();
        if (!p.waitFor(15, TimeUnit.MINUTES)) {
          p.destroyForcibly();
          return "no end within 15 min (its output: " + LOG + ")";
        }
        if (p.exitValue() != 0) {
          List<String> lines = Files.readAllLines(LOG);
          return "exit "
              + p.exitValue()
              + (lines.isEmpty() ? "" : ", last line: " + lines.get(lines.size() - 1))
              + " (its output: "
              + LOG
              + ")";
        }
        return null;
      } catch (IOException e) {
        return e.toString();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return "interrupted";
      }
    }

    @Override
    public String pull(String image) {
      DockerClient client = DockerClientFactory.instance().client();
      CountDownLatch answered = new CountDownLatch(1);
      AtomicReference<String> error = new AtomicReference<>();
      ResultCallback.Adapter<PullResponseItem> callback =
          new ResultCallback.Adapter<>() {
            @Override
            public void onNext(PullResponseItem item) {
              if (item.isErrorIndicated()) {
                error.compareAndSet(
                    null,
                    item.getErrorDetail() != null
                        ? item.getErrorDetail().getMessage()
                        : item.getError());
              }
              answered.countDown();
            }

            @Override
            public void onError(Throwable t) {
              error.compareAndSet(null, t.getMessage());
              answered.countDown();
              super.onError(t);
            }

            @Override
            public void onComplete() {
              answered.countDown();
              super.onComplete();
            }
          };
      int colon = image.lastIndexOf(':');
      try {
        client
            .pullImageCmd(image.substring(0, colon))
            .withTag(image.substring(colon + 1))
            .exec(callback);
        if (!answered.await(ANSWER_SECONDS, TimeUnit.SECONDS)) {
          callback.close();
          return "no registry answered within " + ANSWER_SECONDS + " s";
        }
        if (error.get() == null && !callback.awaitCompletion(10, TimeUnit.MINUTES)) {
          callback.close();
          return "the pull did not end within 10 min";
        }
      } catch (IOException e) {
        return e.toString();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return "interrupted";
      } catch (RuntimeException e) {
        error.compareAndSet(null, e.getMessage());
      }
      if (error.get() != null) {
        return error.get().trim();
      }
      return exists(image) ? null : "the pull ended without the image";
    }

    private static boolean root() {
      try {
        return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
      } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
        return "root".equals(System.getProperty("user.name"));
      }
    }

    private static boolean onPath(String command) {
      List<String> dirs = new ArrayList<>();
      String path = System.getenv("PATH");
      if (path != null) {
        dirs.addAll(List.of(path.split(File.pathSeparator)));
      }
      dirs.addAll(List.of("/usr/local/sbin", "/usr/sbin", "/sbin"));
      for (String dir : dirs) {
        if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
          return true;
        }
      }
      return false;
    }
  }
}
