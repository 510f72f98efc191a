package io.cvmsim.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BaseImageTest {

  static final String LOCAL = "local/jre17:bookworm";

  /** A machine as the decision sees it; remembers what it was asked to do. */
  static final class Machine implements BaseImage.Probes {
    final Set<String> images = new HashSet<>();
    final List<String> calls = new ArrayList<>();
    String cannotBuild = "not running as root";
    String buildFailure;
    String pullFailure = "no registry answered within 5 s";

    Machine with(String image) {
      images.add(image);
      return this;
    }

    Machine canBuild() {
      cannotBuild = null;
      return this;
    }

    Machine buildFails(String why) {
      buildFailure = why;
      return this;
    }

    Machine registryAnswers() {
      pullFailure = null;
      return this;
    }

    @Override
    public boolean exists(String image) {
      return images.contains(image);
    }

    @Override
    public String cannotBuild() {
      return cannotBuild;
    }

    @Override
    public String build(String image) {
      calls.add("build " + image);
      if (buildFailure == null) {
        images.add(image);
      }
      return buildFailure;
    }

    @Override
    public String pull(String image) {
      calls.add("pull " + image);
      if (pullFailure == null) {
        images.add(image);
      }
      return pullFailure;
    }
  }

  @Test
  void anImageDockerHas_isUsed_withoutBuildingOrPulling() {
    Machine m = new Machine().with(LOCAL).canBuild().registryAnswers();
    BaseImage.Decision d = BaseImage.decide(LOCAL, false, m);
    assertThat(d.image()).isEqualTo(LOCAL);
    assertThat(m.calls).isEmpty();
  }

  @Test
  void aMissingImageInCi_isAFailure_evenWhereItCouldBeBuilt() {
    Machine m = new Machine().canBuild().registryAnswers();
    BaseImage.Decision d = BaseImage.decide(LOCAL, true, m);
    assertThat(d.image()).isNull();
    assertThat(d.failure()).startsWith("Base image local/jre17:bookworm is missing");
    assertThat(m.calls).isEmpty();
  }

  @Test
  void aMissingImageOutsideCi_isBuiltWhenRootAndDebootstrapAreHere() {
    Machine m = new Machine().canBuild().registryAnswers();
    BaseImage.Decision d = BaseImage.decide(LOCAL, false, m);
    assertThat(d.image()).isEqualTo(LOCAL);
    assertThat(d.note()).startsWith("built with .ci/build-base-image.sh in ");
    assertThat(m.calls).containsExactly("build " + LOCAL);
  }

  @Test
  void aFailedBuild_fallsBackToThePublicImage_whenARegistryAnswers() {
    Machine m = new Machine().canBuild().buildFails("exit 1").registryAnswers();
    BaseImage.Decision d = BaseImage.decide(LOCAL, false, m);
    assertThat(d.image()).isEqualTo(BaseImage.FALLBACK);
    assertThat(m.calls).containsExactly("build " + LOCAL, "pull " + BaseImage.FALLBACK);
  }

  @Test
  void withoutRootOrDebootstrap_thePublicImageIsPulled_whenARegistryAnswers() {
    Machine m = new Machine().registryAnswers();
    BaseImage.Decision d = BaseImage.decide(LOCAL, false, m);
    assertThat(d.image()).isEqualTo(BaseImage.FALLBACK);
    assertThat(d.note()).contains("pulled");
    assertThat(m.calls).containsExactly("pull " + BaseImage.FALLBACK);
  }

  @Test
  void thePublicImageDockerAlreadyHas_isUsed_withoutPulling() {
    Machine m = new Machine().with(BaseImage.FALLBACK);
    BaseImage.Decision d = BaseImage.decide(LOCAL, false, m);
    assertThat(d.image()).isEqualTo(BaseImage.FALLBACK);
    assertThat(m.calls).isEmpty();
  }

  @Test
  void withNeitherABuildNorARegistry_theTestIsSkipped_withBothReasons() {
    Machine m = new Machine();
    BaseImage.Decision d = BaseImage.decide(LOCAL, false, m);
    assertThat(d.image()).isNull();
    assertThat(d.failure()).isNull();
    assertThat(d.skip())
        .startsWith("Base image local/jre17:bookworm is missing")
        .contains("not running as root")
        .contains("no registry answered within 5 s")
        .contains(".ci/build-base-image.sh");
  }

  @Test
  void aFailedBuildAndNoRegistry_skipNamingTheBuildFailure() {
    Machine m =
        new Machine().canBuild().buildFails("exit 100, last line: E: Failed getting release file");
    BaseImage.Decision d = BaseImage.decide(LOCAL, false, m);
    assertThat(d.skip()).contains("the build failed: exit 100").contains("cannot be pulled");
  }

  @Test
  void aConfiguredRegistryImage_isUsedAsGiven_forTheBuildToPull() {
    Machine m = new Machine();
    BaseImage.Decision d = BaseImage.decide("eclipse-temurin:17-jre", true, m);
    assertThat(d.image()).isEqualTo("eclipse-temurin:17-jre");
    assertThat(m.calls).isEmpty();
  }
}
