package io.cvmsim.scenario;

import static io.cvmsim.scenario.ScenarioFiles.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import io.cvmsim.core.vm.VmLimits;
import io.cvmsim.core.vm.VmRegistry;
import io.cvmsim.core.vm.VmSettings;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;
import javax.xml.validation.Validator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.SAXParseException;

class JUnitReportTest {

  static final Instant STARTED = Instant.parse("2025-03-04T05:06:07.891Z");

  final VmRegistry registry = new VmRegistry(VmLimits.DEFAULTS, VmSettings.DEFAULTS);

  private ScenarioResult mixed() {
    return new ScenarioRunner(registry, 42)
        .run(
            yaml(
                """
                name: mixed
                description: one of each <kind> & "quote"
                vms: [{name: g, memory: 1GiB, bootTo: EFI_STUB}]
                steps:
                  - expect:
                      - table.unacceptedBytes > 0
                      - table.unacceptedBytes < 1MiB
                      - meminfo.MemFree > 0
                  - allocate: {count: 1}
                expect:
                  - table.unacceptedBytes > 0
                """),
            "rep001",
            false,
            null);
  }

  static void validate(String xml) throws Exception {
    Validator v =
        SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI)
            .newSchema(JUnitReportTest.class.getResource("/junit/junit-report.xsd"))
            .newValidator();
    try {
      v.validate(new StreamSource(new StringReader(xml)));
    } catch (SAXParseException e) {
      throw new AssertionError("line " + e.getLineNumber() + ": " + e.getMessage() + "\n" + xml, e);
    }
  }

  static Document parse(String xml) throws Exception {
    return DocumentBuilderFactory.newInstance()
        .newDocumentBuilder()
        .parse(new InputSource(new StringReader(xml)));
  }

  @Test
  void report_isValidJUnitXml_withOneTestcasePerExpectationAndOnePerStepThatCouldNotRun()
      throws Exception {
    String xml = JUnitReport.xml(mixed(), "examples/mixed.yaml", STARTED, 1.5);

    validate(xml);
    Element suite = parse(xml).getDocumentElement();
    assertThat(suite.getAttribute("name")).isEqualTo("mixed");
    assertThat(suite.getAttribute("tests")).isEqualTo("5");
    assertThat(suite.getAttribute("failures")).isEqualTo("1");
    assertThat(suite.getAttribute("errors")).isEqualTo("2");
    assertThat(suite.getAttribute("skipped")).isEqualTo("1");
    assertThat(suite.getAttribute("time")).isEqualTo("1.500");
    assertThat(suite.getAttribute("timestamp")).isEqualTo("2025-03-04T05:06:07");
    NodeList cases = suite.getElementsByTagName("testcase");
    assertThat(cases.getLength()).isEqualTo(5);
    assertThat(((Element) cases.item(0)).getAttribute("name")).startsWith("step 2 (allocate");
    Element failed = (Element) cases.item(2);
    assertThat(failed.getAttribute("name")).isEqualTo("table.unacceptedBytes < 1MiB");
    assertThat(failed.getAttribute("classname")).isEqualTo("cvmsim.scenario.mixed");
    Element failure = (Element) failed.getElementsByTagName("failure").item(0);
    assertThat(failure.getAttribute("type")).isEqualTo("ExpectationFailed");
    assertThat(failure.getAttribute("message")).startsWith("expected < 1MiB, got ");
    assertThat(failure.getTextContent()).contains("at line 7, column 9");
    Element errored = (Element) cases.item(3);
    assertThat(errored.getElementsByTagName("error").getLength()).isEqualTo(1);
    Element skipped = (Element) cases.item(4);
    assertThat(skipped.getElementsByTagName("skipped").getLength()).isEqualTo(1);
    assertThat(suite.getElementsByTagName("property").getLength()).isEqualTo(3);
  }

  @Test
  void write_putsTestScenarioXmlIntoTheDirectory(@TempDir Path dir) throws Exception {
    Path file = JUnitReport.write(mixed(), "m.yaml", STARTED, 0.25, dir.resolve("reports"));

    assertThat(file.getFileName()).hasToString("TEST-mixed.xml");
    validate(Files.readString(file));
    try (var files = Files.list(dir.resolve("reports"))) {
      assertThat(files).containsExactly(file);
    }
  }

  @Test
  void aPassingRun_hasNoFailureErrorOrSkippedElements() throws Exception {
    ScenarioResult r =
        new ScenarioRunner(registry, 42)
            .run(
                yaml("name: ok\nvms: [{name: g, memory: 1GiB}]\nexpect: [meminfo.MemFree > 0]\n"),
                "ok0001",
                false,
                null);
    String xml = JUnitReport.xml(r, "ok.yaml", STARTED, 0.1);

    validate(xml);
    Element suite = parse(xml).getDocumentElement();
    assertThat(suite.getAttribute("tests")).isEqualTo("1");
    assertThat(suite.getAttribute("failures")).isEqualTo("0");
    assertThat(suite.getAttribute("errors")).isEqualTo("0");
    assertThat(xml).doesNotContain("<failure").doesNotContain("<error").doesNotContain("<skipped");
  }

  @Test
  void theSchema_rejectsAReportWithoutItsRequiredParts() {
    String broken =
        "<testsuite name=\"x\" tests=\"1\" failures=\"0\" errors=\"0\" time=\"0\""
            + " timestamp=\"2025-01-01T00:00:00Z\" hostname=\"h\"><testcase name=\"t\"/>"
            + "</testsuite>";
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> validate(broken))
        .isInstanceOf(AssertionError.class);
  }
}
