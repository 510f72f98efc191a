package io.cvmsim.ui;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/**
 * Headless Debian Chromium driven through Debian's chromedriver, with a fresh profile in a
 * temporary directory and every background connection off (this machine's network refuses them).
 * Paths can be changed with {@code -Dchromium.binary=...} and {@code -Dchromedriver.binary=...}.
 */
final class Browser implements AutoCloseable {

  private final ChromeDriverService service;
  private final ChromeDriver driver;
  private final Path profile;

  /** Returns the Chromium binary. */
  static Path chromium() {
    return Path.of(System.getProperty("chromium.binary", "/usr/bin/chromium"));
  }

  /** Returns the chromedriver binary. */
  static Path chromedriver() {
    return Path.of(System.getProperty("chromedriver.binary", "/usr/bin/chromedriver"));
  }

  /** Starts chromedriver and a headless browser with a window of the given size. */
  Browser(int width, int height) throws IOException {
    this.profile = Files.createTempDirectory("cvmsim-chromium-");
    this.service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(chromedriver().toFile())
            .usingAnyFreePort()
            .withTimeout(Duration.ofSeconds(30))
            .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium().toFile());
    options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
        "--window-size=" + width + "," + height,
        "--user-data-dir=" + profile);
    try {
      this.driver = new ChromeDriver(service, options);
    } catch (RuntimeException e) {
      service.stop();
      deleteProfile();
      throw e;
    }
  }

  /** Returns the page's console messages of level SEVERE since the last call. */
  List<String> consoleErrors() {
    return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
        .map(LogEntry::getMessage)
        .toList();
  }

  /** Returns the driver. */
  ChromeDriver driver() {
    return driver;
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      service.stop();
      deleteProfile();
    }
  }

  private void deleteProfile() {
    try (Stream<Path> files = Files.walk(profile)) {
      files
          .sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    } catch (IOException | UncheckedIOException e) {
      // a profile left in the temporary directory is harmless
    }
  }
}
