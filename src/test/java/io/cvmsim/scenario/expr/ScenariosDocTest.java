package io.cvmsim.scenario.expr;

import static org.assertj.core.api.Assertions.assertThat;

import io.cvmsim.core.mm.KernelModel;
import io.cvmsim.scenario.ScenarioParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/SCENARIOS.md names everything the language and the files know, so it cannot drift. */
class ScenariosDocTest {

  static final String DOC = read();

  static String read() {
    try {
      return Files.readString(Path.of("docs/SCENARIOS.md"));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void everyNamespaceAndFixedField_isDocumented() {
    for (String ns : Catalog.NAMESPACES) {
      assertThat(DOC).as(ns).contains("`" + ns + ".");
    }
    Catalog.HOST.keySet().forEach(f -> assertThat(DOC).as(f).contains("host." + f));
    Catalog.BOOT.keySet().forEach(f -> assertThat(DOC).as(f).contains("boot." + f));
    Catalog.TABLE.keySet().forEach(f -> assertThat(DOC).as(f).contains("table." + f));
    Catalog.EXTFRAG.keySet().forEach(f -> assertThat(DOC).as(f).contains("extfrag." + f));
    Catalog.ZONE_FIELDS.forEach(f -> assertThat(DOC).as(f).contains("`" + f + "`"));
  }

  @Test
  void everyStepValue_andEveryStepKind_isDocumented() {
    for (StepFields kind : StepFields.values()) {
      kind.fields()
          .keySet()
          .forEach(f -> assertThat(DOC).as(kind + "." + f).contains("`" + f + "`"));
    }
    ScenarioParser.KINDS.forEach(k -> assertThat(DOC).as(k).contains("| `" + k + "` |"));
  }

  @Test
  void everyZone_ofEveryKernelModel_isDocumented() {
    for (KernelModel k : KernelModel.values()) {
      Catalog.KernelNames.of(k).zones.forEach(z -> assertThat(DOC).as(z).contains("`" + z + "`"));
    }
  }

  @Test
  void everyUnit_isDocumented() {
    for (String unit :
        new String[] {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "kB", "ns", "us", "ms", "s"}) {
      assertThat(DOC).as(unit).contains("`" + unit + "`");
    }
  }
}
