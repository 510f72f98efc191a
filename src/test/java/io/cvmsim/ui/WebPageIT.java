package io.cvmsim.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cvmsim.core.stats.MapState;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The web page in a real browser against the whole service: create a lazy TDX guest through the
 * form, see its memory map, run a memory hog from the page and watch Unaccepted fall, get a refused
 * request's problem detail shown, run the boot-time experiment, check that every control has a
 * label and the map works from the keyboard, and compare cvmsim with recorded kernels (cancel a
 * run; chart a boot and a workload recording as the API answers them, and download the CSV).
 * Screenshots go to {@code target/ui/}.
 *
 * <p>{@code cvmsim.jobs.sync-wait} is 1 s here, so the workload comparison (10 s or more) answers
 * 202 and the page polls its job, while a boot comparison usually answers at once.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "cvmsim.jobs.sync-wait=1s")
@RequiresChromium
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebPageIT {

  private static final Logger log = LoggerFactory.getLogger(WebPageIT.class);
  private static final Path SCREENSHOTS = Path.of("target", "ui");
  private static final Duration WAIT = Duration.ofSeconds(15);

  /** The longest a workload comparison may take here: 10–40 s alone on a busy 2-core machine. */
  private static final Duration COMPARISON = Duration.ofSeconds(150);

  private static final String BOOT = "linux-6.1-1g-boot";
  private static final String WORKLOAD = "linux-6.1-1g-workload";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @LocalServerPort int port;
  Browser browser;
  ChromeDriver driver;
  WebDriverWait wait;

  @BeforeAll
  void openBrowser() throws Exception {
    browser = new Browser(1400, 1000);
    driver = browser.driver();
    wait = new WebDriverWait(driver, WAIT, Duration.ofMillis(50));
    wait.ignoring(StaleElementReferenceException.class);
    Files.createDirectories(SCREENSHOTS);
  }

  /** The page logs no error but the refused requests the tests make on purpose. */
  @AfterEach
  void noScriptErrors() {
    assertThat(browser.consoleErrors())
        .allSatisfy(m -> assertThat(m).contains("the server responded with a status of 4"));
  }

  @AfterAll
  void closeBrowser() {
    if (browser != null) {
      browser.close();
    }
  }

  @Test
  @Order(1)
  void lazyTdxGuest_createdThroughTheForm_drainsWhileAMemoryHogRuns() throws Exception {
    long started = System.nanoTime();
    open();
    type("#c-name", "lazy-tdx");
    type("#c-memory", "2GiB");
    new Select(css("#c-platform")).selectByValue("TDX");
    css("input[name='acceptPolicy'][value='LAZY']").click();
    css("#create-submit").click();
    wait.until(d -> "lazy-tdx".equals(css("#vm-title").getText()));

    // the fills of the segments drawn for unaccepted memory, read in one go (renders replace them)
    @SuppressWarnings("unchecked")
    List<String> fills =
        wait.until(
            d -> {
              List<String> f =
                  (List<String>)
                      driver.executeScript(
                          "return [...document.querySelectorAll("
                              + "'#map rect.seg[data-state=\"unaccepted\"]')]"
                              + ".map(r => r.getAttribute('fill'));");
              return f.isEmpty() ? null : f;
            });
    assertThat(fills)
        .allSatisfy(f -> assertThat(f).isEqualToIgnoringCase(MapState.UNACCEPTED.color()));
    assertThat(css("#map-legend tr[data-state='unaccepted'] th").getText()).isEqualTo("unaccepted");
    long before = unacceptedShown();
    assertThat(before).as("Unaccepted of a fresh lazy 2 GiB guest").isGreaterThan(1L << 30);

    new Select(css("#w-type")).selectByValue("memory-hog");
    type("#w-fill", "0.6");
    type("#w-release", "0.5");
    css("#workload-submit").click();
    wait.until(d -> unacceptedShown() < before);
    wait.until(d -> css("#job-label").getText().contains("succeeded"));
    // announced after the last refresh of the views
    wait.until(d -> css("#status").getText().contains("succeeded: Unaccepted"));
    long after = unacceptedShown();
    assertThat(after).isLessThan(before);
    assertThat(css("#job-result").getText()).contains("Unaccepted").contains("→");
    assertThat(driver.findElements(By.cssSelector("#map rect.seg[data-state='movable']")))
        .isNotEmpty();

    driver.manage().window().setSize(new Dimension(1400, 1330));
    driver.executeScript("window.scrollTo(0, 0); document.activeElement.blur();");
    Path shot = screenshot("lazy-tdx-draining.png");
    driver.manage().window().setSize(new Dimension(1400, 1000));
    log.info(
        "lazy TDX guest: Unaccepted {} -> {} bytes shown; screenshot {}; {} ms",
        before,
        after,
        shot.toAbsolutePath(),
        (System.nanoTime() - started) / 1_000_000);
  }

  @Test
  @Order(2)
  void aRefusedRequest_showsTheProblemsDetailInTheAlertRegion() throws Exception {
    String expected = problemDetail("{\"order\":11,\"count\":1,\"gfp\":\"GFP_HIGHUSER_MOVABLE\"}");
    assertThat(expected).contains("order");
    WebElement problem = css("#problem");
    assertThat(problem.getDomAttribute("role")).isEqualTo("alert");
    type("#a-order", "11");
    css("#alloc-submit").click();
    wait.until(d -> problem.getText().contains(expected));
    assertThat(css("#a-order").getDomAttribute("aria-invalid")).isEqualTo("true");
    // the console saw the refusal: so the check after each test does read the console
    assertThat(browser.consoleErrors()).anySatisfy(m -> assertThat(m).contains("status of 400"));
    type("#a-order", "0");
    css("#alloc-submit").click();
    wait.until(d -> problem.getText().isEmpty() && css("#status").getText().contains("Allocated"));
  }

  @Test
  @Order(3)
  void theMap_zoomsAndInspectsBucketsFromTheKeyboard() {
    WebElement map = css("#map svg");
    String fullRange = css("#map-range").getText();
    map.sendKeys(Keys.ARROW_RIGHT);
    wait.until(d -> css("#map-readout").getText().startsWith("Bucket 1 of"));
    map.sendKeys(Keys.ARROW_RIGHT);
    wait.until(d -> css("#map-readout").getText().startsWith("Bucket 2 of"));
    css("#map svg").sendKeys("+");
    wait.until(d -> css("#map-range").getText().contains("zoomed"));
    assertThat(css("#map-range").getText()).isNotEqualTo(fullRange);
    assertThat(driver.switchTo().activeElement().getTagName()).isEqualTo("svg");
    css("#zoom-reset").click();
    wait.until(d -> css("#map-range").getText().equals(fullRange));
  }

  @Test
  @Order(4)
  void everyControl_hasALabel_andThePageLoadsNothingFromOutside() {
    @SuppressWarnings("unchecked")
    List<String> unlabelled =
        (List<String>)
            driver.executeScript(
                "return [...document.querySelectorAll('input, select, textarea, button')]"
                    + ".filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')"
                    + " && !e.getAttribute('aria-labelledby') && !(e.tagName === 'BUTTON'"
                    + " && e.textContent.trim())).map(e => e.outerHTML.slice(0, 80));");
    assertThat(unlabelled).isEmpty();
    @SuppressWarnings("unchecked")
    List<String> foreign =
        (List<String>)
            driver.executeScript(
                "return performance.getEntriesByType('resource').map(e => e.name)"
                    + ".filter(n => !n.startsWith(location.origin));");
    assertThat(foreign).isEmpty();
    assertThat(driver.findElements(By.cssSelector("main, header, nav, aside, footer")))
        .hasSizeGreaterThanOrEqualTo(5);
  }

  @Test
  @Order(5)
  void bootTimeExperiment_isChartedEagerAgainstLazy() throws Exception {
    WebElement button = css("#exp-submit");
    ((JavascriptExecutor) driver).executeScript("arguments[0].scrollIntoView()", button);
    button.click();
    wait.until(d -> d.findElements(By.cssSelector("#exp-chart svg .series path.line")).size() == 4);
    List<WebElement> rows = driver.findElements(By.cssSelector("#exp-table tbody tr"));
    assertThat(rows).hasSize(8);
    assertThat(css("#exp-chart svg").getText()).contains("TDX eager", "TDX lazy");
    driver.manage().window().setSize(new Dimension(1400, 2400));
    ((JavascriptExecutor) driver).executeScript("arguments[0].scrollIntoView()", button);
    Files.write(
        SCREENSHOTS.resolve("boot-time-experiment.png"),
        css("#experiment").getScreenshotAs(OutputType.BYTES));
  }

  @Test
  @Order(6)
  void kernelComparison_cancelled_cancelsItsJob() throws Exception {
    assumeRecordings();
    open();
    css("#kc-recordings input[value='" + WORKLOAD + "']").click();
    css("#kc-run").click();
    wait.until(d -> css("#kc-label").getText().startsWith("Comparing " + WORKLOAD));
    css("#kc-cancel").click();
    wait.until(d -> css("#kc-run").isEnabled());
    String label = css("#kc-label").getText();
    Matcher job = Pattern.compile("\\(job (\\S+) (stopping|cancelled)\\)").matcher(label);
    assertThat(job.find()).as("the label names the cancelled job: " + label).isTrue();
    // the job stops at its next phase end
    String state = "";
    long deadline = System.nanoTime() + WAIT.toNanos() * 2;
    while (!state.equals("CANCELLED") && System.nanoTime() < deadline) {
      Thread.sleep(250);
      state = JSON.readTree(get("/api/v1/jobs/" + job.group(1))).get("state").asString();
    }
    assertThat(state).isEqualTo("CANCELLED");
    assertThat(css("#problem").getText()).isEmpty();
  }

  @Test
  @Order(7)
  void kernelComparison_ofABootAndAWorkloadRecording_showsTheApisNumbers() throws Exception {
    assumeRecordings();
    long started = System.nanoTime();
    WebDriverWait slow = new WebDriverWait(driver, COMPARISON, Duration.ofMillis(250));
    // the API's answers, the workload's compared meanwhile (the service runs two jobs at once)
    JsonNode boot = apiComparison(BOOT);
    CompletableFuture<JsonNode> workload =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return apiComparison(WORKLOAD);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    open();
    Path downloads = SCREENSHOTS.toAbsolutePath();
    driver.executeCdpCommand(
        "Browser.setDownloadBehavior",
        Map.of("behavior", "allow", "downloadPath", downloads.toString()));

    // a boot recording: one stage, its measures, and the CSV
    css("#kc-recordings input[value='" + BOOT + "']").click();
    css("#kc-run").click();
    WebElement bootResult =
        slow.until(d -> css("#kc-results article[data-recording='" + BOOT + "']"));
    assertThat(bootResult.findElements(By.cssSelector("svg.chart-svg .kc-series"))).hasSize(6);
    assertShown(bootResult, boot, "boot", "managed DMA32", "min DMA32", "MemFree kB");
    assertThat(summaryCell(bootResult, "boot", "free"))
        .isEqualTo(distance(measure(boot, "boot", "MemFree kB")));
    Path csv = downloads.resolve(BOOT + "-comparison.csv");
    Files.deleteIfExists(csv);
    bootResult.findElement(By.cssSelector(".kc-csv")).click();
    slow.until(d -> css("#status").getText().startsWith("Saved " + BOOT));
    slow.until(d -> Files.exists(csv));
    assertThat(Files.readString(csv)).isEqualTo(apiCsv(BOOT));

    // a workload recording: boot, start and 13 phases, the page polling its job
    css("#kc-recordings input[value='" + WORKLOAD + "']").click();
    css("#kc-run").click();
    WebElement result =
        slow.until(d -> css("#kc-results article[data-recording='" + WORKLOAD + "']"));
    assertThat(css("#kc-label").getText()).as("the page polled the job").contains("(job ");
    JsonNode api = workload.get(COMPARISON.toSeconds(), TimeUnit.SECONDS);
    int stages = api.get("stages").size();
    assertThat(stages).isEqualTo(15);
    assertThat(result.findElements(By.cssSelector("svg.chart-svg .grid text.stage")))
        .hasSize(stages);
    assertThat(result.findElements(By.cssSelector("svg.chart-svg .kc-series path.line")))
        .hasSize(5);
    assertThat(result.findElements(By.cssSelector(".kc-summary tbody tr"))).hasSize(stages);
    for (String stage : List.of("start", "fragmenter", "short-lived")) {
      assertThat(summaryCell(result, stage, "free"))
          .isEqualTo(distance(measure(api, stage, "free pages")));
      assertThat(summaryCell(result, stage, "order"))
          .isEqualTo(distance(measure(api, stage, "order TVD")));
    }
    // a stage is picked from the keyboard too
    WebElement pick =
        result.findElement(By.xpath(".//button[@class='kc-pick' and text()='fragmenter']"));
    pick.sendKeys(Keys.ENTER);
    wait.until(d -> "true".equals(pick.getDomAttribute("aria-pressed")));
    wait.until(
        d -> result.findElement(By.cssSelector(".kc-stage h4")).getText().contains("fragmenter"));
    assertShown(
        result,
        api,
        "fragmenter",
        "free pages",
        "order TVD",
        "order×type TVD",
        "pageblocks Unmovable",
        "extfrag events");
    for (String counter : List.of("allocations", "failures", "frees")) {
      assertThat(
              result.findElement(By.cssSelector("[data-counter='" + counter + "'] dd")).getText())
          .isEqualTo(count(api.get("replay").get(counter).asDouble()));
    }

    driver.manage().window().setSize(new Dimension(1400, 1900));
    driver.executeScript(
        "document.querySelector('#comparison').scrollIntoView(); document.activeElement.blur();");
    Path shot = screenshot("kernel-comparison.png");
    driver.manage().window().setSize(new Dimension(1400, 1000));
    log.info(
        "kernel comparison: {} and {} shown as the API answers them; screenshot {}; {} ms",
        BOOT,
        WORKLOAD,
        shot.toAbsolutePath(),
        (System.nanoTime() - started) / 1_000_000);
  }

  /** Skips the comparison tests while the recordings are not bundled (they are not in git yet). */
  private void assumeRecordings() {
    assumeTrue(
        getClass().getResource("/kernel-recordings/" + WORKLOAD + "/recording.json") != null
            && getClass().getResource("/kernel-recordings/" + BOOT + "/recording.json") != null,
        "the bundled recordings " + BOOT + " and " + WORKLOAD + " are missing");
  }

  /** Asserts the stage's table shows these measures as the API gives them. */
  private void assertShown(WebElement result, JsonNode api, String stage, String... names) {
    for (String name : names) {
      JsonNode m = measure(api, stage, name);
      List<WebElement> cells =
          result.findElements(By.cssSelector(".kc-measures tr[data-measure='" + name + "'] td"));
      assertThat(cells).as(stage + " / " + name).hasSize(4);
      if (m.get("kernel").isNull()) {
        for (int i = 0; i < 2; i++) {
          assertThat(cells.get(i).getText()).as(stage + " / " + name).startsWith("–");
          assertThat(cells.get(i).getDomAttribute("data-value")).isNull();
        }
      } else {
        for (int i = 0; i < 2; i++) {
          double v = m.get(i == 0 ? "kernel" : "cvmsim").asDouble();
          assertThat(cells.get(i).getText()).as(stage + " / " + name).isEqualTo(count(v));
          assertThat(Double.parseDouble(cells.get(i).getDomAttribute("data-value"))).isEqualTo(v);
        }
      }
      assertThat(cells.get(2).getText()).as(stage + " / " + name).isEqualTo(distance(m));
      assertThat(Double.parseDouble(cells.get(2).getDomAttribute("data-value")))
          .isEqualTo(m.get("distance").asDouble());
    }
  }

  private String summaryCell(WebElement result, String stage, String series) {
    return result
        .findElement(
            By.cssSelector(
                ".kc-summary tr[data-stage='" + stage + "'] td[data-series='" + series + "']"))
        .getText()
        .replace("(above the target)", "")
        .trim();
  }

  private static JsonNode measure(JsonNode comparison, String stage, String name) {
    for (JsonNode s : comparison.get("stages")) {
      if (s.get("name").asString().equals(stage)) {
        for (JsonNode m : s.get("measures")) {
          if (m.get("name").asString().equals(name)) {
            return m;
          }
        }
      }
    }
    throw new AssertionError("the API's comparison has no " + name + " at " + stage);
  }

  /** A distance as the page prints it. */
  private static String distance(JsonNode measure) {
    return String.format(Locale.ROOT, "%.3f", measure.get("distance").asDouble());
  }

  /** A count as the page prints it. */
  private static String count(double v) {
    return String.format(Locale.US, "%,d", Math.round(v));
  }

  /** Returns the API's comparison with a recording, polling its job after a 202. */
  private JsonNode apiComparison(String recording) throws Exception {
    HttpResponse<String> res =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(uri("/api/v1/experiments/kernel-comparison"))
                    .header("Content-Type", "application/json")
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"recording\":\"" + recording + "\"}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    if (res.statusCode() == 200) {
      return JSON.readTree(res.body());
    }
    assertThat(res.statusCode()).as(res.body()).isEqualTo(202);
    String location = res.headers().firstValue("Location").orElseThrow();
    long deadline = System.nanoTime() + COMPARISON.toNanos();
    while (System.nanoTime() < deadline) {
      Thread.sleep(1000);
      JsonNode job = JSON.readTree(get(location));
      String state = job.get("state").asString();
      if (state.equals("SUCCEEDED")) {
        return job.get("result");
      }
      assertThat(state).as(job.toString()).isIn("QUEUED", "RUNNING");
    }
    throw new AssertionError("the comparison of " + recording + " took over " + COMPARISON);
  }

  private String apiCsv(String recording) throws Exception {
    HttpResponse<String> res =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(uri("/api/v1/experiments/kernel-comparison"))
                    .header("Content-Type", "application/json")
                    .header("Accept", "text/csv")
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"recording\":\"" + recording + "\"}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(res.statusCode()).isEqualTo(200);
    return res.body();
  }

  private String get(String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private URI uri(String path) {
    return URI.create("http://localhost:" + port + path);
  }

  private void open() {
    driver.get("http://localhost:" + port + "/?poll=150");
    wait.until(d -> "true".equals(css("body").getDomAttribute("data-ready")));
  }

  private long unacceptedShown() {
    String bytes = css("#mi-unaccepted").getDomAttribute("data-bytes");
    return bytes == null ? Long.MAX_VALUE : Long.parseLong(bytes);
  }

  private WebElement css(String selector) {
    return driver.findElement(By.cssSelector(selector));
  }

  private void type(String selector, String text) {
    WebElement e = css(selector);
    e.clear();
    e.sendKeys(text);
  }

  private Path screenshot(String name) throws Exception {
    Path tmp = driver.getScreenshotAs(OutputType.FILE).toPath();
    Path target = SCREENSHOTS.resolve(name);
    Files.copy(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    return target;
  }

  /** Returns the detail the API gives for this allocation request on the test's guest. */
  private String problemDetail(String body) throws Exception {
    HttpResponse<String> res =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/api/v1/vms/lazy-tdx/allocations"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(res.statusCode()).isEqualTo(400);
    return JSON.readTree(res.body()).get("detail").asString();
  }
}
