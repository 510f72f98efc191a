package io.cvmsim.core.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cvmsim.core.SimulatorException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The job executor: its bounded queue, cancellation, retention and shutdown. */
class JobManagerTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  /** A task that holds its thread until released, checking for cancellation. */
  private static JobTask blocking(CountDownLatch started, CountDownLatch release) {
    return ctx -> {
      started.countDown();
      while (!release.await(5, TimeUnit.MILLISECONDS)) {
        ctx.checkCancelled();
      }
      return "done";
    };
  }

  private static JobView await(JobManager m, String id) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      JobView v = m.get(id);
      if (v.state().finished()) {
        return v;
      }
      Thread.sleep(2);
    }
    throw new AssertionError("job " + id + " did not finish");
  }

  @Test
  void aSucceedingJob_reportsItsResultAndFullProgress() throws Exception {
    try (JobManager m = new JobManager(1, 4, 8)) {
      JobView v =
          m.submit(
              "vm-1",
              "t",
              Map.of("k", 1L),
              ctx -> {
                ctx.progress(0.5);
                return 42;
              });
      assertThat(v.state()).isIn(JobState.QUEUED, JobState.RUNNING, JobState.SUCCEEDED);
      JobView done = await(m, v.id());
      assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
      assertThat(done.result()).isEqualTo(42);
      assertThat(done.progress()).isEqualTo(1.0);
      assertThat(done.parameters()).containsEntry("k", 1L);
      assertThat(done.startedAt()).isNotNull();
      assertThat(done.finishedAt()).isAfterOrEqualTo(done.startedAt());
    }
  }

  @Test
  void aFailingJob_isFailedWithItsMessage() throws Exception {
    try (JobManager m = new JobManager(1, 4, 8)) {
      JobView v =
          m.submit(
              null,
              "t",
              Map.of(),
              ctx -> {
                throw new IllegalStateException("broken");
              });
      JobView done = await(m, v.id());
      assertThat(done.state()).isEqualTo(JobState.FAILED);
      assertThat(done.error()).isEqualTo("IllegalStateException: broken");
    }
  }

  @Test
  void aFullQueue_refusesWith503_andForgetsTheRefusedJob() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    try (JobManager m = new JobManager(1, 1, 8)) {
      m.submit("vm", "running", Map.of(), blocking(started, release));
      assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
      m.submit("vm", "queued", Map.of(), ctx -> "later");
      assertThatThrownBy(() -> m.submit("vm", "refused", Map.of(), ctx -> "never"))
          .isInstanceOfSatisfying(
              SimulatorException.class,
              e -> assertThat(e.kind()).isEqualTo(SimulatorException.Kind.AT_CAPACITY));
      assertThat(m.list("vm"))
          .extracting(JobView::type)
          .containsExactlyInAnyOrder("running", "queued");
      release.countDown();
    }
  }

  @Test
  void cancellingAQueuedJob_meansItNeverStarts_andARunningOneStopsAtItsNextCheck()
      throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch never = new CountDownLatch(1);
    AtomicBoolean queuedRan = new AtomicBoolean();
    try (JobManager m = new JobManager(1, 4, 8)) {
      JobView running = m.submit("vm", "running", Map.of(), blocking(started, never));
      JobView queued =
          m.submit(
              "vm",
              "queued",
              Map.of(),
              ctx -> {
                queuedRan.set(true);
                return null;
              });
      assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
      m.cancel(queued.id());
      m.cancel(running.id());
      assertThat(await(m, running.id()).state()).isEqualTo(JobState.CANCELLED);
      assertThat(await(m, queued.id()).state()).isEqualTo(JobState.CANCELLED);
      assertThat(queuedRan).isFalse();
      // cancelling a finished job changes nothing
      assertThat(m.cancel(running.id()).state()).isEqualTo(JobState.CANCELLED);
    }
  }

  @Test
  void finishedExperiments_areKeptUpToTheLimit_newestFirst_whileVmJobsStay() throws Exception {
    try (JobManager m = new JobManager(1, 16, 2)) {
      String[] ids = new String[4];
      for (int i = 0; i < 4; i++) {
        ids[i] = m.submit(null, "exp" + i, Map.of(), ctx -> "r").id();
        await(m, ids[i]);
      }
      String vmJob = m.submit("vm", "workload", Map.of(), ctx -> "r").id();
      await(m, vmJob);
      m.submit(null, "exp4", Map.of(), ctx -> "r");
      assertThat(m.list(null).stream().filter(j -> j.vmId() == null).count())
          .isLessThanOrEqualTo(3);
      assertThatThrownBy(() -> m.get(ids[0])).isInstanceOf(SimulatorException.class);
      assertThat(m.get(vmJob).state()).isEqualTo(JobState.SUCCEEDED);
    }
  }

  @Test
  void removingAVm_cancelsAndForgetsItsJobs() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch never = new CountDownLatch(1);
    try (JobManager m = new JobManager(1, 4, 8)) {
      String id = m.submit("vm-gone", "w", Map.of(), blocking(started, never)).id();
      assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
      m.removeForVm("vm-gone");
      assertThat(m.list("vm-gone")).isEmpty();
      assertThatThrownBy(() -> m.get(id))
          .isInstanceOfSatisfying(
              SimulatorException.class,
              e -> assertThat(e.kind()).isEqualTo(SimulatorException.Kind.NOT_FOUND));
    }
  }

  @Test
  void close_stopsRunningJobs() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch never = new CountDownLatch(1);
    JobManager m = new JobManager(1, 4, 8);
    String id = m.submit("vm", "w", Map.of(), blocking(started, never)).id();
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    long t0 = System.nanoTime();
    m.close();
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(WAIT);
    assertThat(m.get(id).state()).isEqualTo(JobState.CANCELLED);
  }
}
