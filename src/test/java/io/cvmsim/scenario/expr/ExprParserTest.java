package io.cvmsim.scenario.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cvmsim.core.mm.KernelModel;
import io.cvmsim.core.stats.MemorySnapshot;
import io.cvmsim.core.vm.VmViews;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ExprParserTest {

  static final Catalog TWO_VMS =
      Catalog.scenario(
          Map.of("lazy", KernelModel.V6_5, "eager", KernelModel.MAINLINE),
          null,
          Map.of("hog", StepFields.WORKLOAD, "a1", StepFields.ALLOCATE, "b", StepFields.NONE),
          Set.of("before"));

  static final Catalog ONE_VM =
      Catalog.scenario(Map.of("lazy", KernelModel.V6_5), null, Map.of(), Set.of());

  /** A scope whose every reference reads the given value with the given dimension. */
  static Scope constant(Dim dim, long value) {
    return ref ->
        new Reader() {
          @Override
          public Dim dim() {
            return dim;
          }

          @Override
          public Object read(Probe probe) {
            return BigDecimal.valueOf(value);
          }
        };
  }

  static final Probe NO_PROBE =
      new Probe() {
        @Override
        public MemorySnapshot memory(String vm) {
          throw new EvalException("no memory");
        }

        @Override
        public VmViews.Host host(String vm) {
          throw new EvalException("no host");
        }

        @Override
        public VmViews.Boot boot(String vm) {
          throw new EvalException("no boot");
        }

        @Override
        public VmViews.Table table(String vm) {
          throw new EvalException("no table");
        }

        @Override
        public Map<String, BigDecimal> step(String id) {
          return Map.of("failures", BigDecimal.ZERO);
        }

        @Override
        public Views snapshot(String label) {
          return new Views(label, "lazy", Map.of("meminfo", label.equals("x") ? "A" : "B"));
        }
      };

  static BigDecimal value(String text) {
    return ExprParser.value(text, constant(Dim.NUMBER, 0)).number(NO_PROBE);
  }

  static ExprException error(String text, Scope scope) {
    try {
      ExprParser.comparison(text, scope);
    } catch (ExprException e) {
      return e;
    }
    throw new AssertionError("accepted: " + text);
  }

  @Test
  void arithmetic_followsPrecedenceAndParentheses() {
    assertThat(value("1 + 2 * 3")).isEqualByComparingTo("7");
    assertThat(value("(1 + 2) * 3")).isEqualByComparingTo("9");
    assertThat(value("10 - 4 - 3")).isEqualByComparingTo("3");
    assertThat(value("-2 * -3")).isEqualByComparingTo("6");
    assertThat(value("1 / 3 * 3")).isEqualByComparingTo("0.9999999999999999");
  }

  @Test
  void units_scaleToBytesAndSeconds() {
    Scope s = constant(Dim.BYTES, 0);
    assertThat(ExprParser.value("1GiB + 512MiB", s).number(NO_PROBE))
        .isEqualByComparingTo(BigDecimal.valueOf(1536L << 20));
    assertThat(ExprParser.value("4 kB", s).number(NO_PROBE)).isEqualByComparingTo("4096");
    assertThat(ExprParser.value("1500ms + 250us", s).dim()).isEqualTo(Dim.SECONDS);
    assertThat(ExprParser.value("1500ms + 250us", s).number(NO_PROBE))
        .isEqualByComparingTo("1.50025");
  }

  @Test
  void percent_isAFractionOrAShareOfTheValueAfterOf() {
    assertThat(value("90%")).isEqualByComparingTo("0.9");
    Expr share = ExprParser.value("90% of 10GiB", constant(Dim.NUMBER, 0));
    assertThat(share.dim()).isEqualTo(Dim.BYTES);
    assertThat(share.number(NO_PROBE)).isEqualByComparingTo(BigDecimal.valueOf(9L << 30));
  }

  @Test
  void functions_absMinMax() {
    assertThat(value("abs(3 - 5)")).isEqualByComparingTo("2");
    assertThat(value("min(4, 2, 3)")).isEqualByComparingTo("2");
    assertThat(value("max(4, 2, 3)")).isEqualByComparingTo("4");
  }

  @Test
  void comparison_evaluatesAndReportsActualAndExpected() {
    Comparison c =
        ExprParser.comparison("meminfo.Unaccepted < 1GiB", constant(Dim.BYTES, 512L << 20));

    Comparison.Outcome o = c.evaluate(NO_PROBE);
    assertThat(o.passed()).isTrue();
    assertThat(o.actual()).isEqualTo("512MiB");
    assertThat(o.expected()).isEqualTo("< 1GiB");
    assertThat(o.unit()).isEqualTo("bytes");
    assertThat(
            ExprParser.comparison("x >= 2GiB", constant(Dim.BYTES, 1L << 30))
                .evaluate(NO_PROBE)
                .passed())
        .isFalse();
  }

  @Test
  void aBareZero_goesWithAnyUnit_otherPlainNumbersDoNot() {
    assertThat(ExprParser.comparison("x > 0", constant(Dim.BYTES, 1)).evaluate(NO_PROBE).passed())
        .isTrue();

    ExprException e = error("x > 5", constant(Dim.BYTES, 1));
    assertThat(e.getMessage())
        .contains("cannot compare bytes with a plain number")
        .contains("unit");
    assertThat(e.offset()).isEqualTo(2);
  }

  @Test
  void typeErrors_nameBothDimensionsAndTheOperator() {
    assertThat(error("a * a > 0", constant(Dim.BYTES, 1)).getMessage())
        .contains("cannot multiply bytes by bytes");
    assertThat(error("a + 1s > 0", constant(Dim.BYTES, 1)).getMessage())
        .contains("cannot add bytes with seconds");
    ExprException e = error("1 / a > 0", constant(Dim.SECONDS, 1));
    assertThat(e.getMessage()).contains("cannot divide a plain number by seconds");
    assertThat(e.offset()).isEqualTo(2);
  }

  @Test
  void syntaxErrors_pointAtTheCharacter() {
    Scope s = constant(Dim.NUMBER, 0);
    assertThat(error("x", s).getMessage()).contains("needs a comparison");
    assertThat(error("x < ", s).getMessage()).contains("missing at the end");
    ExprException unit = error("x < 5 GB", s);
    assertThat(unit.offset()).isEqualTo(6);
    ExprException paren = error("(x < 1", s);
    assertThat(paren.getMessage()).contains("expected ')'");
    assertThat(error("x <> 1", s).offset()).isEqualTo(3);
    assertThat(error("x < 1GiX", s).getMessage()).contains("unknown unit 'GiX'");
  }

  @Test
  void references_pickTheirVm_beforeOrAfterTheField() {
    Comparison c =
        ExprParser.comparison("boot.seconds(lazy) * 2.0 <= boot.seconds(eager)", TWO_VMS);
    assertThat(c.left().dim()).isEqualTo(Dim.SECONDS);
    assertThat(
            ExprParser.comparison("meminfo(lazy).MemFree >= 90% of meminfo(lazy).MemTotal", TWO_VMS)
                .left()
                .dim())
        .isEqualTo(Dim.BYTES);
    assertThat(ExprParser.comparison("buddyinfo.Normal[10](lazy) > 0", TWO_VMS).left().dim())
        .isEqualTo(Dim.NUMBER);
  }

  @Test
  void aFieldWithParentheses_isAFieldNotAVm() {
    Comparison c = ExprParser.comparison("meminfo.Active(anon) >= 0", ONE_VM);
    assertThat(c.left()).isInstanceOf(Expr.Ref.class);
    assertThat(c.left().dim()).isEqualTo(Dim.BYTES);
  }

  @Test
  void unknownVmViewOrField_isRefusedWithASuggestion() {
    ExprException vm = error("meminfo(lazzy).MemFree > 0", TWO_VMS);
    assertThat(vm.getMessage()).contains("unknown VM 'lazzy'").contains("did you mean 'lazy'");
    assertThat(vm.offset()).isEqualTo(8);

    ExprException view = error("meminfoo(lazy).MemFree > 0", TWO_VMS);
    assertThat(view.getMessage()).contains("unknown name 'meminfoo'").contains("'meminfo'");

    ExprException field = error("meminfo(lazy).Unacepted > 0", TWO_VMS);
    assertThat(field.getMessage())
        .contains("unknown meminfo field 'Unacepted'")
        .contains("'Unaccepted'");
    assertThat(field.offset()).isEqualTo(14);

    assertThat(error("vmstat(lazy).pgalloc_nromal > 0", TWO_VMS).getMessage())
        .contains("did you mean 'pgalloc_normal'");
  }

  @Test
  void kernelSpecificNames_followTheVmsKernel() {
    assertThat(ExprParser.comparison("meminfo(eager).Balloon == 0", TWO_VMS)).isNotNull();
    assertThat(error("meminfo(lazy).Balloon == 0", TWO_VMS).getMessage())
        .contains("unknown meminfo field 'Balloon' for kernel 6.5");
    assertThat(ExprParser.comparison("zoneinfo(eager).Normal.promo > 0", TWO_VMS)).isNotNull();
    assertThat(error("zoneinfo(lazy).Normal.promo > 0", TWO_VMS).getMessage())
        .contains("unknown zoneinfo field 'promo'");
  }

  @Test
  void withSeveralVms_aReferenceMustNameOne() {
    assertThat(error("meminfo.MemFree > 0", TWO_VMS).getMessage()).contains("name the VM");
    assertThat(ExprParser.comparison("meminfo.MemFree > 0", ONE_VM)).isNotNull();
  }

  @Test
  void orders_areRequiredWhereTheViewHasThemAndRefusedElsewhere() {
    assertThat(error("buddyinfo.Normal > 0", ONE_VM).getMessage()).contains("give the order");
    assertThat(error("buddyinfo.Normal[11] > 0", ONE_VM).getMessage()).contains("0 to 10");
    assertThat(error("meminfo.MemFree[3] > 0", ONE_VM).getMessage()).contains("takes no [index]");
    assertThat(ExprParser.comparison("pagetypeinfo.Normal.Movable[9] >= 0", ONE_VM)).isNotNull();
    assertThat(ExprParser.comparison("pagetypeinfo.Normal.blocks.Movable >= 0", ONE_VM))
        .isNotNull();
    assertThat(ExprParser.comparison("extfrag.unusable.Normal[9] <= 1", ONE_VM)).isNotNull();
  }

  @Test
  void steps_onlyThoseBefore_andOnlyTheirFields() {
    assertThat(ExprParser.comparison("steps.hog.failures == 0", TWO_VMS).left().dim())
        .isEqualTo(Dim.NUMBER);
    assertThat(ExprParser.comparison("steps.hog.acceptSeconds < 1s", TWO_VMS)).isNotNull();
    assertThat(error("steps.hgo.failures == 0", TWO_VMS).getMessage())
        .contains("no step with id 'hgo'")
        .contains("'hog'");
    assertThat(error("steps.a1.failures == 0", TWO_VMS).getMessage())
        .contains("unknown field 'failures'")
        .contains("allocated");
    assertThat(error("steps.b.x == 0", TWO_VMS).getMessage()).contains("reports no values");
  }

  @Test
  void snapshots_compareOnlyByEquality() {
    Comparison c = ExprParser.comparison("snapshot.before == snapshot.before", TWO_VMS);
    assertThat(c.left().dim()).isEqualTo(Dim.VIEWS);
    assertThat(error("snapshot.before < snapshot.before", TWO_VMS).getMessage())
        .contains("only with == or !=");
    assertThat(error("snapshot.before == 1", TWO_VMS).getMessage())
        .contains("only with recorded views");
    assertThat(error("snapshot.after == snapshot.before", TWO_VMS).getMessage())
        .contains("no snapshot labelled 'after'");
    assertThat(ExprParser.comparison("snapshot.before.meminfo != snapshot.before.vmstat", TWO_VMS))
        .isNotNull();
  }

  @Test
  void differingViews_reportTheFirstDifferentLine() {
    Scope views =
        ref ->
            new Reader() {
              @Override
              public Dim dim() {
                return Dim.VIEWS;
              }

              @Override
              public Object read(Probe probe) {
                return probe.snapshot(ref.segments().get(1).name());
              }
            };
    Comparison.Outcome o =
        ExprParser.comparison("snapshot.x == snapshot.y", views).evaluate(NO_PROBE);
    assertThat(o.passed()).isFalse();
    assertThat(o.detail()).isEqualTo("meminfo line 1: 'A' vs 'B'");
  }

  @Test
  void divisionByZero_isAnEvaluationError() {
    Comparison c = ExprParser.comparison("1 / (x - x) > 0", constant(Dim.NUMBER, 3));
    assertThatThrownBy(() -> c.evaluate(NO_PROBE))
        .isInstanceOf(EvalException.class)
        .hasMessage("division by zero");
  }

  @Test
  void sweepScope_readsItsOneGuestAndTheWorkload() {
    Catalog sweep = Catalog.sweep("config", Set.of(KernelModel.V6_5, KernelModel.MAINLINE), true);
    assertThat(ExprParser.value("workload.acceptedChunks", sweep).dim()).isEqualTo(Dim.NUMBER);
    assertThat(ExprParser.value("boot.seconds", sweep).dim()).isEqualTo(Dim.SECONDS);
    assertThatThrownBy(() -> ExprParser.value("meminfo.Balloon", sweep))
        .hasMessageContaining("unknown meminfo field 'Balloon'");
    assertThatThrownBy(() -> ExprParser.value("snapshot.x", sweep))
        .hasMessageContaining("belongs to scenarios");
    assertThatThrownBy(() -> ExprParser.value("a < b", sweep)).isInstanceOf(ExprException.class);
  }
}
