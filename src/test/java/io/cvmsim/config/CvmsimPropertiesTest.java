package io.cvmsim.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.cvmsim.core.accept.spi.AcceptCosts;
import io.cvmsim.core.boot.BootCosts;
import io.cvmsim.core.jobs.JobManager;
import io.cvmsim.core.memory.PageSize;
import io.cvmsim.core.memory.Sizes;
import io.cvmsim.core.vm.VmRegistry;
import io.cvmsim.core.vm.VmSettings;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.boot.test.context.ConfigDataApplicationContextInitializer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;

class CvmsimPropertiesTest {

  /** Binds like the application: with or without application.yaml, validation on. */
  private static ApplicationContextRunner runner(boolean withApplicationYaml) {
    ApplicationContextRunner r =
        new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
            .withUserConfiguration(CvmsimConfiguration.class);
    return withApplicationYaml
        ? r.withInitializer(new ConfigDataApplicationContextInitializer())
        : r;
  }

  @Test
  void applicationYaml_documentsTheCoreDefaults() {
    runner(true)
        .run(
            ctx -> {
              CvmsimProperties p = ctx.getBean(CvmsimProperties.class);
              assertThat(p.cost().acceptCosts()).isEqualTo(AcceptCosts.DEFAULTS);
              assertThat(p.cost().bootCosts()).isEqualTo(BootCosts.DEFAULTS);
              assertThat(p.cost().tdcallNanos()).as("listed in application.yaml").isNotNull();
              assertThat(p.cost().percpuBytesPerVcpu()).isNotNull();
              assertThat(p.limits().maxVms()).isEqualTo(64);
              assertThat(p.limits().maxMemoryPerVm().bytes()).isEqualTo(4 * Sizes.TIB);
              assertThat(p.limits().maxTotalMemory().bytes()).isEqualTo(64 * Sizes.TIB);
              assertThat(p.limits().maxBitmapBytes().bytes()).isEqualTo(16 * Sizes.MIB);
              assertThat(p.limits().maxBatch()).isEqualTo(100_000);
              assertThat(p.limits().maxRequestBytes().bytes()).isEqualTo(16 * Sizes.MIB);
              assertThat(p.limits().maxAcceptLogEntries()).isEqualTo(100_000);
              assertThat(p.limits().maxBatches()).isEqualTo(1024);
              assertThat(p.limits().maxBatchBytes().bytes()).isEqualTo(16 * Sizes.MIB);
              assertThat(p.jobs())
                  .isEqualTo(
                      new CvmsimProperties.Jobs(2, 16, 64, java.time.Duration.ofSeconds(60)));
              assertThat(p.defaultSeed()).isEqualTo(42);
              assertThat(p.security().enabled()).isFalse();
              assertThat(p.security().protectReads()).isFalse();
              assertThat(ctx.getBean(VmSettings.class)).isEqualTo(VmSettings.DEFAULTS);
              assertThat(p.debug().checkInvariants()).isFalse();
            });
  }

  @Test
  void debugCheckInvariants_reachesEveryGuestsSettings() {
    runner(true)
        .withPropertyValues("cvmsim.debug.check-invariants=true")
        .run(
            ctx ->
                assertThat(ctx.getBean(VmRegistry.class).settings())
                    .isEqualTo(VmSettings.DEFAULTS.withCheckInvariants(true)));
  }

  @Test
  void withoutAnyConfiguration_theDefaultsAreTheSame() {
    runner(false)
        .run(
            ctx -> {
              CvmsimProperties p = ctx.getBean(CvmsimProperties.class);
              assertThat(ctx.getBean(VmSettings.class)).isEqualTo(VmSettings.DEFAULTS);
              assertThat(p.limits().vmLimits()).isEqualTo(io.cvmsim.core.vm.VmLimits.DEFAULTS);
              assertThat(p.defaultSeed()).isEqualTo(42);
            });
  }

  @Test
  void costKeys_areTheKebabCaseOfEveryCoreCostField() {
    List<String> core = new ArrayList<>();
    for (Class<?> c : List.of(AcceptCosts.class, BootCosts.class)) {
      Arrays.stream(c.getRecordComponents()).map(RecordComponent::getName).forEach(core::add);
    }
    List<String> ours =
        Arrays.stream(CvmsimProperties.Cost.class.getRecordComponents())
            .map(RecordComponent::getName)
            .toList();
    assertThat(ours).containsExactlyElementsOf(core);
    assertThat(DataObjectPropertyName.toDashedForm("memmapInitNanosPerPage"))
        .isEqualTo("memmap-init-nanos-per-page");
  }

  @Test
  void sizesTakeBinarySuffixesOrIntegers_andCostsTakeKebabNames() {
    runner(false)
        .withPropertyValues(
            "cvmsim.limits.max-memory-per-vm=2 TiB",
            "cvmsim.limits.max-total-memory=0x100000000000",
            "cvmsim.limits.max-bitmap-bytes=1048576",
            "cvmsim.limits.max-request-bytes=512KiB",
            "cvmsim.cost.tdcall-nanos=1000",
            "cvmsim.cost.memmap-init-nanos-per-page=7",
            "cvmsim.cost.tdx-host-max-page-size=2M",
            "cvmsim.cost.kernel-image-bytes=32MiB",
            "cvmsim.cost.deferred-serial-fraction=0.25",
            "cvmsim.security.api-token=abc")
        .run(
            ctx -> {
              CvmsimProperties p = ctx.getBean(CvmsimProperties.class);
              assertThat(p.limits().maxMemoryPerVm().bytes()).isEqualTo(2 * Sizes.TIB);
              assertThat(p.limits().maxTotalMemory().bytes()).isEqualTo(16 * Sizes.TIB);
              assertThat(p.limits().maxBitmapBytes().bytes()).isEqualTo(Sizes.MIB);
              assertThat(p.limits().maxRequestBytes().bytes()).isEqualTo(512 * Sizes.KIB);
              AcceptCosts a = ctx.getBean(VmSettings.class).acceptCosts();
              assertThat(a.tdcallNanos()).isEqualTo(1000);
              assertThat(a.tdxHostMaxPageSize()).isEqualTo(PageSize.SIZE_2M);
              assertThat(a.clearNanosPer4k()).isEqualTo(AcceptCosts.DEFAULTS.clearNanosPer4k());
              BootCosts b = ctx.getBean(VmSettings.class).bootCosts();
              assertThat(b.memmapInitNanosPerPage()).isEqualTo(7);
              assertThat(b.kernelImageBytes()).isEqualTo(32 * Sizes.MIB);
              assertThat(b.deferredSerialFraction()).isEqualTo(0.25);
              assertThat(p.security().enabled()).isTrue();
            });
  }

  @Test
  void invalidSettings_stopTheStart_namingTheSetting() {
    String[][] cases = {
      {"cvmsim.limits.max-vms=0", "maxVms"},
      {"cvmsim.limits.max-batch=-1", "maxBatch"},
      {"cvmsim.limits.max-batches=4096", "maxBatches"},
      {"cvmsim.limits.max-batch-bytes=0", "max-batch-bytes"},
      {"cvmsim.limits.max-memory-per-vm=4XiB", "max-memory-per-vm"},
      {"cvmsim.limits.max-memory-per-vm=0", "max-memory-per-vm"},
      {"cvmsim.limits.max-total-memory=1TiB", "max-total-memory"},
      {"cvmsim.jobs.threads=0", "threads"},
      {"cvmsim.jobs.queue-capacity=0", "queueCapacity"},
      {"cvmsim.cost.deferred-serial-fraction=2", "deferredSerialFraction"},
      {"cvmsim.cost.tdx-host-max-page-size=3M", "tdx-host-max-page-size"},
      {"cvmsim.cost.tdcall-nanos=-1", "must not be negative"}
    };
    for (String[] c : cases) {
      runner(false)
          .withPropertyValues(c[0])
          .run(
              ctx -> {
                assertThat(ctx).as(c[0]).hasFailed();
                Throwable t = ctx.getStartupFailure();
                StringBuilder all = new StringBuilder();
                for (Throwable x = t; x != null; x = x.getCause()) {
                  all.append(x.getMessage()).append('\n');
                }
                assertThat(all.toString()).as(c[0]).contains(c[1]);
              });
    }
  }

  @Test
  void jobManager_isClosedWithTheContext_andDeletingAVmForgetsItsJobs() {
    runner(false)
        .run(
            ctx -> {
              VmRegistry registry = ctx.getBean(VmRegistry.class);
              JobManager jobs = ctx.getBean(JobManager.class);
              var vm = io.cvmsim.api.TestVms.tdx(registry, "jobs", 1);
              var job =
                  jobs.submit(
                      vm.id(),
                      "sleep",
                      java.util.Map.of(),
                      c -> {
                        while (!c.cancelled()) {
                          Thread.sleep(5);
                        }
                        return null;
                      });
              registry.delete(vm.id());
              assertThat(jobs.list(vm.id())).isEmpty();
              assertThat(jobs.list(null)).noneMatch(j -> j.id().equals(job.id()));
            });
  }
}
