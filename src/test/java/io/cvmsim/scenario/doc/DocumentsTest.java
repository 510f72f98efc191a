package io.cvmsim.scenario.doc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cvmsim.scenario.doc.Documents.Format;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class DocumentsTest {

  private static DocumentException refused(String text, Format format) {
    try {
      Documents.parse(text, format, "t");
    } catch (DocumentException e) {
      return e;
    }
    throw new AssertionError("accepted: " + text);
  }

  @Test
  void yaml_keepsTheLineAndColumnOfEveryNode() {
    Node root =
        Documents.parse("name: x\nvms:\n  - memory: 4GiB\n    vcpus: 2\n", Format.YAML, "t");

    Node.Mapping m = (Node.Mapping) root;
    assertThat(m.entry("vms").keyMark()).isEqualTo(new Mark(2, 1));
    Node.Mapping vm = (Node.Mapping) ((Node.Sequence) m.entry("vms").value()).items().get(0);
    assertThat(vm.entry("memory").value().mark()).isEqualTo(new Mark(3, 13));
    Node.Scalar vcpus = (Node.Scalar) vm.entry("vcpus").value();
    assertThat(vcpus.kind()).isEqualTo(Node.Kind.INTEGER);
    assertThat(vcpus.number()).isEqualTo(new BigDecimal(2));
    assertThat(vcpus.mark()).isEqualTo(new Mark(4, 12));
  }

  @Test
  void yaml_scalarsKeepTheirKindAndQuotedOnesStayStrings() {
    Node.Mapping m =
        (Node.Mapping)
            Documents.parse(
                "a: 0x10\nb: 1_000\nc: 0.5\nd: '7'\ne: ~\nf: true\ng: 6.5\n", Format.YAML, "t");

    assertThat(((Node.Scalar) m.entry("a").value()).number()).isEqualTo(new BigDecimal(16));
    assertThat(((Node.Scalar) m.entry("b").value()).number()).isEqualTo(new BigDecimal(1000));
    assertThat(((Node.Scalar) m.entry("c").value()).kind()).isEqualTo(Node.Kind.DECIMAL);
    assertThat(((Node.Scalar) m.entry("d").value()).kind()).isEqualTo(Node.Kind.STRING);
    assertThat(((Node.Scalar) m.entry("e").value()).kind()).isEqualTo(Node.Kind.NULL);
    assertThat(((Node.Scalar) m.entry("f").value()).kind()).isEqualTo(Node.Kind.BOOLEAN);
    assertThat(((Node.Scalar) m.entry("g").value()).text()).isEqualTo("6.5");
  }

  @Test
  void yaml_textOfAOneLineScalarMapsToExactColumns() {
    Node.Mapping m =
        (Node.Mapping) Documents.parse("x:  \"a < b\"\ny: plain text\n", Format.YAML, "t");

    Node.Scalar quoted = (Node.Scalar) m.entry("x").value();
    assertThat(quoted.exactColumns()).isTrue();
    assertThat(quoted.at(2)).isEqualTo(new Mark(1, 8));
    Node.Scalar plain = (Node.Scalar) m.entry("y").value();
    assertThat(plain.at(6)).isEqualTo(new Mark(2, 10));
  }

  @Test
  void yaml_syntaxError_namesLineAndColumn() {
    DocumentException e = refused("name: x\nvms: [a, b\nsteps: 1\n", Format.YAML);

    assertThat(e.kind()).isEqualTo(DocumentException.Kind.SYNTAX);
    assertThat(e.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.line()).isEqualTo(3);
              assertThat(p.message()).startsWith("YAML syntax:");
            });
  }

  @Test
  void yaml_duplicateKeysAliasesAndTags_areRefusedEachWithItsPosition() {
    DocumentException e = refused("a: 1\na: 2\nb: &x [1]\nc: *x\nd: !custom 3\n", Format.YAML);

    assertThat(e.problems())
        .extracting(p -> p.line() + ":" + p.message().split(" ")[0])
        .contains("2:duplicate", "4:YAML", "5:YAML");
  }

  @Test
  void json_keepsLineAndColumnAndNumberKinds() {
    Node.Mapping m =
        (Node.Mapping)
            Documents.parse("{\n  \"a\": 12,\n  \"b\": \"x<y\", \"c\": 1.5\n}", Format.JSON, "t");

    Node.Scalar a = (Node.Scalar) m.entry("a").value();
    assertThat(a.mark()).isEqualTo(new Mark(2, 8));
    assertThat(a.kind()).isEqualTo(Node.Kind.INTEGER);
    Node.Scalar b = (Node.Scalar) m.entry("b").value();
    assertThat(b.exactColumns()).isTrue();
    assertThat(b.at(1)).isEqualTo(new Mark(3, 10));
    assertThat(((Node.Scalar) m.entry("c").value()).kind()).isEqualTo(Node.Kind.DECIMAL);
  }

  @Test
  void json_syntaxErrorAndDuplicateKeys_areRefusedWithTheirPositions() {
    DocumentException syntax = refused("{\n  \"a\": 1,\n  \"b\" 2\n}", Format.JSON);
    assertThat(syntax.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.line()).isEqualTo(3);
              assertThat(p.message()).startsWith("JSON syntax:");
            });

    DocumentException dup = refused("{\"a\": 1,\n \"a\": 2}", Format.JSON);
    assertThat(dup.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.line()).isEqualTo(2);
              assertThat(p.message()).isEqualTo("duplicate key 'a'");
            });
  }

  @Test
  void emptyFile_isASyntaxError() {
    assertThatThrownBy(() -> Documents.parse("", Format.YAML, "t"))
        .isInstanceOf(DocumentException.class)
        .hasMessageContaining("empty");
  }

  @Test
  void mediaTypes_pickTheFormat() {
    assertThat(Format.ofMediaType("application/json;charset=UTF-8")).isEqualTo(Format.JSON);
    assertThat(Format.ofMediaType("application/x-yaml")).isEqualTo(Format.YAML);
    assertThat(Format.ofMediaType("text/yaml")).isEqualTo(Format.YAML);
    assertThat(Format.ofMediaType("application/yaml")).isEqualTo(Format.YAML);
    assertThatThrownBy(() -> Format.ofMediaType("text/plain"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
