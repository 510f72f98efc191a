package io.cvmsim.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.cvmsim.config.CvmsimConfiguration;
import io.cvmsim.core.jobs.JobManager;
import io.cvmsim.core.jobs.JobState;
import io.cvmsim.core.jobs.JobView;
import io.cvmsim.core.memory.Gfp;
import io.cvmsim.core.memory.Sizes;
import io.cvmsim.core.vm.AcceptPolicy;
import io.cvmsim.core.vm.BootStage;
import io.cvmsim.core.vm.GuestViews;
import io.cvmsim.core.vm.GuestVm;
import io.cvmsim.core.vm.Platform;
import io.cvmsim.core.vm.VmRegistry;
import io.cvmsim.core.vm.VmSpec;
import io.cvmsim.core.workload.Workload;
import io.cvmsim.core.workload.WorkloadParams;
import io.cvmsim.core.workload.WorkloadType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.ContextConsumer;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import tools.jackson.databind.json.JsonMapper;

/**
 * Durable state in-process: the service's wiring started, used, stopped and started again on the
 * same directory, as a graceful restart does. (A SIGKILL is {@code DurableStateIT}'s.)
 */
class DurableStateTest {

  @TempDir Path dir;

  WebApplicationContextRunner service(String interval) {
    return new WebApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                ValidationAutoConfiguration.class, JacksonAutoConfiguration.class))
        .withUserConfiguration(CvmsimConfiguration.class, DurableState.class)
        .withPropertyValues("cvmsim.state.dir=" + dir, "cvmsim.state.interval=" + interval);
  }

  void run(ContextConsumer<AssertableWebApplicationContext> body) {
    service("1h")
        .run(
            ctx -> {
              assertThat(ctx).hasNotFailed();
              body.accept(ctx);
            });
  }

  static VmSpec spec(String name, long bytes) {
    return new VmSpec(
        name,
        Platform.TDX,
        "6.5",
        AcceptPolicy.LAZY,
        bytes,
        null,
        null,
        2,
        BootStage.KERNEL,
        null,
        false);
  }

  static JobView submit(JobManager jobs, GuestVm vm, String type, Map<String, Object> params) {
    Workload w = WorkloadType.ofLabel(type).create(new WorkloadParams(params), 42);
    return jobs.submit(vm.id(), type, w.parameters(), ctx -> w.run(vm, ctx));
  }

  static JobView await(JobManager jobs, String id) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!jobs.get(id).state().finished()) {
      assertThat(System.nanoTime()).as("job " + id + " ends").isLessThan(deadline);
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
    return jobs.get(id);
  }

  @Test
  void vmsAndTheirJobRecords_surviveAGracefulRestart_underTheirIds_answeringAlike() {
    Map<String, String> views = new HashMap<>();
    Map<String, String> results = new HashMap<>();
    JsonMapper json = JsonMapper.builder().build();
    run(
        ctx -> {
          VmRegistry registry = ctx.getBean(VmRegistry.class);
          JobManager jobs = ctx.getBean(JobManager.class);
          GuestVm a = registry.create(spec("a", 2 * Sizes.GIB));
          GuestVm b = registry.create(spec(null, Sizes.GIB));
          a.allocate(Gfp.GFP_KERNEL, 1, 3000);
          JobView job = submit(jobs, b, "memory-hog", Map.of("fill", 0.2, "release", 0.0));
          await(jobs, job.id());
          for (GuestVm vm : registry.list()) {
            views.put(vm.id(), GuestViews.of(vm));
          }
          results.put(job.id(), json.writeValueAsString(jobs.get(job.id()).result()));
        });

    run(
        ctx -> {
          VmRegistry registry = ctx.getBean(VmRegistry.class);
          JobManager jobs = ctx.getBean(JobManager.class);
          assertThat(registry.list()).hasSize(2);
          for (GuestVm vm : registry.list()) {
            assertThat(GuestViews.of(vm)).as(vm.id()).isEqualTo(views.get(vm.id()));
          }
          assertThat(registry.get("a").name()).isEqualTo("a");
          List<JobView> restored = jobs.list(null);
          assertThat(restored)
              .singleElement()
              .satisfies(
                  j -> {
                    assertThat(j.state()).isEqualTo(JobState.SUCCEEDED);
                    assertThat(json.writeValueAsString(j.result())).isEqualTo(results.get(j.id()));
                  });
        });
  }

  @Test
  void jobRunningAtShutdown_comesBackInterrupted_withTheVmAsTheJobLeftIt() {
    String[] jobId = {null};
    String[] view = {null};
    run(
        ctx -> {
          VmRegistry registry = ctx.getBean(VmRegistry.class);
          JobManager jobs = ctx.getBean(JobManager.class);
          GuestVm vm = registry.create(spec("busy", 4 * Sizes.GIB));
          JobView job =
              submit(jobs, vm, "kernel-build", Map.of("events", 200_000_000L, "parallelism", 8L));
          long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
          while (jobs.get(job.id()).progress() == 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
          }
          jobId[0] = job.id();
          ctx.close();
          view[0] = GuestViews.of(vm);
        });

    run(
        ctx -> {
          JobView j = ctx.getBean(JobManager.class).get(jobId[0]);
          assertThat(j.state()).isEqualTo(JobState.INTERRUPTED);
          assertThat(j.startedAt()).isNotNull();
          GuestVm vm = ctx.getBean(VmRegistry.class).get("busy");
          assertThat(GuestViews.of(vm)).isEqualTo(view[0]);
          vm.checkInvariants();
        });
  }

  @Test
  void everyInterval_onlyVmsThatChangedAreWritten_andNoTemporaryFileStays() throws Exception {
    service("200ms")
        .run(
            ctx -> {
              VmRegistry registry = ctx.getBean(VmRegistry.class);
              GuestVm a = registry.create(spec("a", Sizes.GIB));
              GuestVm b = registry.create(spec("b", Sizes.GIB));
              Path fa = dir.resolve(a.id() + ".cvmsnap");
              Path fb = dir.resolve(b.id() + ".cvmsnap");
              awaitFile(fa);
              awaitFile(fb);
              FileTime before = Files.getLastModifiedTime(fb);
              byte[] aBefore = Files.readAllBytes(fa);

              a.allocate(Gfp.GFP_HIGHUSER_MOVABLE, 0, 1000);
              long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
              while (java.util.Arrays.equals(Files.readAllBytes(fa), aBefore)) {
                assertThat(System.nanoTime()).as("a is written again").isLessThan(deadline);
                Thread.sleep(50);
              }
              Thread.sleep(500);

              assertThat(Files.getLastModifiedTime(fb)).isEqualTo(before);
              assertThat(Files.readAllBytes(fa)).isEqualTo(a.snapshot());
              assertThat(names()).noneMatch(n -> n.endsWith(".tmp"));
            });
  }

  @Test
  void deletedVm_takesItsFilesWithIt() {
    service("100ms")
        .run(
            ctx -> {
              VmRegistry registry = ctx.getBean(VmRegistry.class);
              GuestVm vm = registry.create(spec("gone", Sizes.GIB));
              Path file = dir.resolve(vm.id() + ".cvmsnap");
              awaitFile(file);

              registry.delete("gone");

              assertThat(file).doesNotExist();
            });
  }

  @Test
  void corruptUnknownAndOrphanFiles_areMovedAside_andTheRestIsRestored() throws Exception {
    String[] id = {null};
    run(ctx -> id[0] = ctx.getBean(VmRegistry.class).create(spec("good", Sizes.GIB)).id());
    byte[] good = Files.readAllBytes(dir.resolve(id[0] + ".cvmsnap"));
    byte[] future = good.clone();
    future[9] = 9;
    Files.write(dir.resolve("vm-corrupt.cvmsnap"), new byte[] {'C', 'V', 'M', 'S', 1, 2, 3});
    Files.write(dir.resolve("vm-future.cvmsnap"), future);
    Files.writeString(dir.resolve("vm-orphan.jobs.json"), "[]");
    Files.writeString(dir.resolve("notes.txt"), "hello");
    Files.writeString(dir.resolve("." + id[0] + ".cvmsnap.tmp"), "half");

    run(
        ctx -> {
          assertThat(ctx.getBean(VmRegistry.class).list())
              .extracting(GuestVm::id)
              .containsExactly(id[0]);
        });

    assertThat(names())
        .contains(id[0] + ".cvmsnap")
        .doesNotContain(
            "vm-corrupt.cvmsnap",
            "vm-future.cvmsnap",
            "vm-orphan.jobs.json",
            "notes.txt",
            "." + id[0] + ".cvmsnap.tmp");
    try (Stream<Path> rejected = Files.list(dir.resolve("rejected"))) {
      assertThat(rejected.map(p -> p.getFileName().toString()).sorted().toList())
          .hasSize(4)
          .anyMatch(n -> n.startsWith("vm-corrupt.cvmsnap."))
          .anyMatch(n -> n.startsWith("vm-future.cvmsnap."))
          .anyMatch(n -> n.startsWith("vm-orphan.jobs.json."))
          .anyMatch(n -> n.startsWith("notes.txt."));
    }
  }

  @Test
  void secondServiceOnTheSameDirectory_failsToStart_namingTheDirectory() {
    run(
        first ->
            service("1h")
                .run(
                    second ->
                        assertThat(second)
                            .getFailure()
                            .rootCause()
                            .hasMessageContaining("in use by another cvmsim process")));
  }

  @Test
  void withoutAStateDirectory_nothingIsWritten() {
    new WebApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                ValidationAutoConfiguration.class, JacksonAutoConfiguration.class))
        .withUserConfiguration(CvmsimConfiguration.class, DurableState.class)
        .run(
            ctx -> {
              ctx.getBean(VmRegistry.class).create(spec("mem", Sizes.GIB));
              ctx.close();
            });

    assertThat(names()).isEmpty();
  }

  private List<String> names() {
    List<String> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      s.forEach(p -> out.add(p.getFileName().toString()));
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
    return out;
  }

  private static void awaitFile(Path file) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!Files.exists(file)) {
      assertThat(System.nanoTime()).as(file + " is written").isLessThan(deadline);
      Thread.sleep(20);
    }
  }
}
