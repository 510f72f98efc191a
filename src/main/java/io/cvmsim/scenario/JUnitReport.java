package io.cvmsim.scenario;

import io.cvmsim.scenario.ScenarioResult.ExpectationOutcome;
import io.cvmsim.scenario.ScenarioResult.Status;
import io.cvmsim.scenario.ScenarioResult.StepOutcome;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Writes a scenario run as a JUnit XML report in the Ant format CI tools read (Jenkins, GitLab,
 * GitHub test reporters): one {@code <testsuite>} named after the scenario, one {@code <testcase>}
 * per expectation ({@code <failure>} when it did not hold, {@code <error>} when it could not be
 * evaluated, {@code <skipped>} when an earlier step could not run), and one {@code <testcase>} with
 * an {@code <error>} for each step or VM that could not run. The file is {@code
 * TEST-<scenario>.xml}, written atomically.
 */
public final class JUnitReport {

  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss", Locale.ROOT);

  private JUnitReport() {}

  /** Returns the report's file name for a scenario. */
  public static String fileName(String scenario) {
    return "TEST-" + scenario + ".xml";
  }

  /**
   * Writes the report into {@code dir} (created if missing) and returns its path.
   *
   * @param source the scenario file, recorded as a property
   * @param started when the run started
   * @param seconds how long it took
   */
  public static Path write(
      ScenarioResult result, String source, Instant started, double seconds, Path dir) {
    try {
      Files.createDirectories(dir);
      Path target = dir.resolve(fileName(result.name()));
      Path tmp = Files.createTempFile(dir, ".TEST-" + result.name(), ".tmp");
      try {
        Files.writeString(tmp, xml(result, source, started, seconds), StandardCharsets.UTF_8);
        Files.move(
            tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the JUnit report into " + dir, e);
    }
  }

  /** Returns the report as text. */
  public static String xml(ScenarioResult r, String source, Instant started, double seconds) {
    StringWriter out = new StringWriter();
    try {
      XMLStreamWriter w = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
      int tests = r.expectations().size();
      int failures = 0;
      int errors = 0;
      int skipped = 0;
      for (ExpectationOutcome e : r.expectations()) {
        switch (e.status()) {
          case FAILED -> failures++;
          case ERROR -> errors++;
          case SKIPPED -> skipped++;
          default -> {}
        }
      }
      for (ScenarioResult.VmOutcome v : r.vms()) {
        if (v.status() == Status.ERROR) {
          tests++;
          errors++;
        }
      }
      for (StepOutcome s : r.steps()) {
        if (s.status() == Status.ERROR) {
          tests++;
          errors++;
        }
      }
      String classname = "cvmsim.scenario." + r.name();
      w.writeStartDocument("UTF-8", "1.0");
      w.writeCharacters("\n");
      w.writeStartElement("testsuite");
      w.writeAttribute("name", r.name());
      w.writeAttribute("tests", Integer.toString(tests));
      w.writeAttribute("failures", Integer.toString(failures));
      w.writeAttribute("errors", Integer.toString(errors));
      w.writeAttribute("skipped", Integer.toString(skipped));
      w.writeAttribute("time", seconds(seconds));
      w.writeAttribute(
          "timestamp", TIMESTAMP.format(LocalDateTime.ofInstant(started, ZoneOffset.UTC)));
      w.writeAttribute("hostname", hostname());
      w.writeCharacters("\n  ");
      w.writeStartElement("properties");
      property(w, "cvmsim.scenario.file", source);
      property(w, "cvmsim.scenario.run-id", r.runId());
      if (r.description() != null) {
        property(w, "cvmsim.scenario.description", r.description());
      }
      w.writeCharacters("\n  ");
      w.writeEndElement();
      for (ScenarioResult.VmOutcome v : r.vms()) {
        if (v.status() == Status.ERROR) {
          testcase(w, classname, "create VM " + v.name(), 0);
          problem(w, "error", "VmNotCreated", v.message(), v.message());
          w.writeCharacters("\n  ");
          w.writeEndElement();
        }
      }
      for (StepOutcome s : r.steps()) {
        if (s.status() == Status.ERROR) {
          testcase(
              w,
              classname,
              "step " + s.number() + " (" + s.kind() + ", line " + s.line() + ")",
              s.millis());
          problem(w, "error", "StepFailed", s.message(), s.message());
          w.writeCharacters("\n  ");
          w.writeEndElement();
        }
      }
      for (ExpectationOutcome e : r.expectations()) {
        testcase(w, classname, e.name(), e.millis());
        String detail =
            e.expression()
                + "\n  at line "
                + e.line()
                + ", column "
                + e.column()
                + (e.step() != null ? " (step " + e.step() + ")" : " (after the last step)")
                + (e.actual() != null ? "\n  actual: " + e.actual() : "")
                + (e.expected() != null ? "\n  expected: " + e.expected() : "")
                + (e.message() != null ? "\n  " + e.message() : "");
        boolean open = true;
        switch (e.status()) {
          case FAILED -> problem(w, "failure", "ExpectationFailed", e.message(), detail);
          case ERROR -> problem(w, "error", "ExpectationError", e.message(), detail);
          case SKIPPED -> {
            w.writeCharacters("\n    ");
            w.writeEmptyElement("skipped");
            w.writeAttribute("message", e.message());
          }
          default -> {
            open = false;
          }
        }
        if (open) {
          w.writeCharacters("\n  ");
        }
        w.writeEndElement();
      }
      w.writeCharacters("\n  ");
      w.writeStartElement("system-out");
      w.writeCharacters(systemOut(r));
      w.writeEndElement();
      w.writeCharacters("\n  ");
      w.writeStartElement("system-err");
      w.writeEndElement();
      w.writeCharacters("\n");
      w.writeEndElement();
      w.writeCharacters("\n");
      w.writeEndDocument();
      w.close();
    } catch (XMLStreamException e) {
      throw new IllegalStateException("cannot write the JUnit report", e);
    }
    return out.toString();
  }

  private static void testcase(XMLStreamWriter w, String classname, String name, long millis)
      throws XMLStreamException {
    w.writeCharacters("\n  ");
    w.writeStartElement("testcase");
    w.writeAttribute("name", name);
    w.writeAttribute("classname", classname);
    w.writeAttribute("time", seconds(millis / 1000.0));
  }

  private static void problem(
      XMLStreamWriter w, String element, String type, String message, String text)
      throws XMLStreamException {
    w.writeCharacters("\n    ");
    w.writeStartElement(element);
    w.writeAttribute("type", type);
    if (message != null) {
      w.writeAttribute("message", message);
    }
    w.writeCharacters(text == null ? "" : text);
    w.writeEndElement();
  }

  private static void property(XMLStreamWriter w, String name, String value)
      throws XMLStreamException {
    w.writeCharacters("\n    ");
    w.writeEmptyElement("property");
    w.writeAttribute("name", name);
    w.writeAttribute("value", value == null ? "" : value);
  }

  private static String systemOut(ScenarioResult r) {
    StringBuilder b = new StringBuilder("\n");
    for (ScenarioResult.VmOutcome v : r.vms()) {
      b.append("vm ").append(v.name()).append(": ").append(v.status());
      if (v.id() != null) {
        b.append(" (").append(v.registryName()).append(", ").append(v.id()).append(')');
      }
      b.append('\n');
    }
    for (StepOutcome s : r.steps()) {
      b.append("step ")
          .append(s.number())
          .append(' ')
          .append(s.kind())
          .append(s.vm() != null ? " " + s.vm() : "")
          .append(": ")
          .append(s.status());
      if (!s.values().isEmpty()) {
        b.append(' ').append(s.values());
      }
      if (s.message() != null) {
        b.append(" - ").append(s.message());
      }
      b.append('\n');
    }
    return b.toString();
  }

  private static String seconds(double s) {
    return String.format(Locale.ROOT, "%.3f", s);
  }

  private static String hostname() {
    try {
      String h = InetAddress.getLocalHost().getHostName();
      return h == null || h.isBlank() ? "localhost" : h;
    } catch (IOException e) {
      return "localhost";
    }
  }
}
