package io.cvmsim.ui;

import io.cvmsim.support.RequiredToolCondition;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The {@link RequiresChromium} condition: both binaries exist, are executable and answer {@code
 * --version} within 20 seconds.
 */
final class ChromiumCondition extends RequiredToolCondition {

  ChromiumCondition() {
    super("Chromium and chromedriver", "chromium");
  }

  @Override
  protected void probe() throws Exception {
    version(Browser.chromium());
    version(Browser.chromedriver());
  }

  private static void version(Path binary) throws IOException, InterruptedException {
    if (!Files.isExecutable(binary)) {
      throw new IllegalStateException(
          binary + " is missing or not executable (apt-get install chromium chromium-driver)");
    }
    Process p =
        new ProcessBuilder(binary.toString(), "--version")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.PIPE)
            .start();
    if (!p.waitFor(20, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException(binary + " --version did not answer within 20 s");
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.exitValue() != 0 || !out.matches("(?s).*\\d+\\.\\d+\\.\\d+.*")) {
      throw new IllegalStateException(
          binary + " --version failed (exit " + p.exitValue() + "): " + out.strip());
    }
  }
}
