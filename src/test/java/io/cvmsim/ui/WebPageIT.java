package io.cvmsim.ui;

import static org.assertj.core.api.Assertions.assertThat;

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
import tools.jackson.databind.json.JsonMapper;

/**
 * The web page in a real browser against the whole service: create a lazy TDX guest through the
 * form, see its memory map, run a memory hog from the page and watch Unaccepted fall, get a refused
 * request's problem detail shown, run the boot-time experiment, and check that every control has a
 * label and the map works from the keyboard. Screenshots go to {@code target/ui/}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@RequiresChromium
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebPageIT {

  private static final Logger log = LoggerFactory.getLogger(WebPageIT.class);
  private static final Path SCREENSHOTS = Path.of("target", "ui");
  private static final Duration WAIT = Duration.ofSeconds(15);

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
    return JsonMapper.builder().build().readTree(res.body()).get("detail").asString();
  }
}
