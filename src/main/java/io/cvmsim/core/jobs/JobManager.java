package io.cvmsim.core.jobs;

import io.cvmsim.core.SimulatorException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs jobs on a bounded pool: {@code threads} at once, {@code queueCapacity} waiting; beyond that
 * a submission is refused with 503. Results of a VM's jobs stay until the VM is deleted; those of
 * experiments until {@code maxFinished} newer ones have ended. Thread safe.
 */
public final class JobManager implements AutoCloseable {

  private final ThreadPoolExecutor executor;
  private final Map<String, Entry> jobs = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();
  private final int maxFinished;

  private static final class Entry {
    final CountDownLatch done = new CountDownLatch(1);
    final String id;
    final String vmId;
    final String type;
    final Map<String, Object> parameters;
    final Instant createdAt;
    volatile JobState state = JobState.QUEUED;
    volatile double progress;
    volatile Object result;
    volatile String error;
    volatile Instant startedAt;
    volatile Instant finishedAt;
    volatile boolean cancelRequested;

    Entry(String id, String vmId, String type, Map<String, Object> parameters, Instant createdAt) {
      this.createdAt = createdAt;
      this.id = id;
      this.vmId = vmId;
      this.type = type;
      this.parameters = parameters;
    }

    JobView view() {
      return new JobView(
          id,
          vmId,
          type,
          parameters,
          state,
          progress,
          result,
          error,
          createdAt,
          startedAt,
          finishedAt);
    }
  }

  /** Creates a manager with a pool of {@code threads} and a queue of {@code queueCapacity}. */
  public JobManager(int threads, int queueCapacity, int maxFinished) {
    AtomicInteger n = new AtomicInteger();
    this.executor =
        new ThreadPoolExecutor(
            threads,
            threads,
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(Math.max(1, queueCapacity)),
            r -> {
              Thread t = new Thread(r, "cvmsim-job-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    this.maxFinished = maxFinished;
  }

  /**
   * Submits a job; returns its view (QUEUED).
   *
   * @throws SimulatorException 503 when the queue is full
   */
  public JobView submit(String vmId, String type, Map<String, Object> parameters, JobTask task) {
    Entry e = newEntry(vmId, type, Map.copyOf(parameters));
    String id = e.id;
    try {
      executor.execute(() -> run(e, task));
    } catch (RejectedExecutionException ex) {
      jobs.remove(id);
      throw new SimulatorException(
          SimulatorException.Kind.AT_CAPACITY,
          null,
          "the job queue is full (cvmsim.jobs.queue-capacity); retry when a job has finished");
    }
    prune();
    return e.view();
  }

  /** Returns a new job, registered under an id no job has (restored ones included). */
  private Entry newEntry(String vmId, String type, Map<String, Object> parameters) {
    while (true) {
      String id =
          "job-"
              + Long.toString(ids.incrementAndGet(), 36)
              + "-"
              + Long.toString(System.nanoTime() & 0xffffff, 36);
      Entry e = new Entry(id, vmId, type, parameters, Instant.now());
      if (jobs.putIfAbsent(id, e) == null) {
        return e;
      }
    }
  }

  private void run(Entry e, JobTask task) {
    if (e.cancelRequested) {
      finish(e, JobState.CANCELLED, null, null);
      return;
    }
    e.state = JobState.RUNNING;
    e.startedAt = Instant.now();
    JobContext ctx =
        new JobContext() {
          @Override
          public void progress(double fraction) {
            e.progress = Math.max(0, Math.min(1, fraction));
          }

          @Override
          public boolean cancelled() {
            return e.cancelRequested || Thread.currentThread().isInterrupted();
          }
        };
    try {
      Object result = task.run(ctx);
      e.progress = 1.0;
      finish(e, JobState.SUCCEEDED, result, null);
    } catch (JobCancelledException ex) {
      finish(e, JobState.CANCELLED, null, null);
    } catch (SimulatorException ex) {
      finish(e, e.cancelRequested ? JobState.CANCELLED : JobState.FAILED, null, ex.getMessage());
    } catch (Exception | Error ex) {
      if (e.cancelRequested) {
        finish(e, JobState.CANCELLED, null, null);
      } else {
        finish(e, JobState.FAILED, null, ex.getClass().getSimpleName() + ": " + ex.getMessage());
      }
    }
  }

  private static void finish(Entry e, JobState state, Object result, String error) {
    e.result = result;
    e.error = error;
    e.finishedAt = Instant.now();
    e.state = state;
    e.done.countDown();
  }

  /**
   * Adds the record of a VM's job from before a restart, as it was then; a job that was queued or
   * running comes back {@link JobState#INTERRUPTED} (nothing runs it again). Returns its view.
   *
   * @throws IllegalArgumentException if a job with its id exists, or it belongs to no VM
   */
  public JobView restore(JobView job) {
    if (job.vmId() == null) {
      throw new IllegalArgumentException("only a VM's jobs are restored");
    }
    Entry e = new Entry(job.id(), job.vmId(), job.type(), job.parameters(), job.createdAt());
    e.progress = job.progress();
    e.result = job.result();
    e.error = job.error();
    e.startedAt = job.startedAt();
    e.finishedAt = job.finishedAt();
    e.state = job.state().finished() ? job.state() : JobState.INTERRUPTED;
    e.done.countDown();
    if (jobs.putIfAbsent(e.id, e) != null) {
      throw new IllegalArgumentException("a job with id '" + job.id() + "' exists");
    }
    return e.view();
  }

  /**
   * Waits up to {@code timeout} for a job to end; returns its view then, or as it is when the time
   * is up (or the waiting thread is interrupted).
   *
   * @throws SimulatorException 404 if unknown
   */
  public JobView await(String id, Duration timeout) {
    Entry e = jobs.get(id);
    if (e == null) {
      throw SimulatorException.notFound("no job with id '" + id + "'");
    }
    try {
      e.done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
    }
    return e.view();
  }

  /**
   * Returns a job.
   *
   * @throws SimulatorException 404 if unknown
   */
  public JobView get(String id) {
    Entry e = jobs.get(id);
    if (e == null) {
      throw SimulatorException.notFound("no job with id '" + id + "'");
    }
    return e.view();
  }

  /** Requests cancellation; a queued job never starts, a running one stops at its next check. */
  public JobView cancel(String id) {
    Entry e = jobs.get(id);
    if (e == null) {
      throw SimulatorException.notFound("no job with id '" + id + "'");
    }
    if (!e.state.finished()) {
      e.cancelRequested = true;
    }
    return e.view();
  }

  /** Returns the jobs of one VM (or all with null), newest first. */
  public List<JobView> list(String vmId) {
    List<JobView> out = new ArrayList<>();
    for (Entry e : jobs.values()) {
      if (vmId == null || vmId.equals(e.vmId)) {
        out.add(e.view());
      }
    }
    out.sort(Comparator.comparing(JobView::createdAt).reversed());
    return out;
  }

  /** Cancels and forgets the jobs of a deleted VM. */
  public void removeForVm(String vmId) {
    jobs.values()
        .removeIf(
            e -> {
              if (vmId.equals(e.vmId)) {
                e.cancelRequested = true;
                return true;
              }
              return false;
            });
  }

  private void prune() {
    List<Entry> finished = new ArrayList<>();
    for (Entry e : jobs.values()) {
      if (e.vmId == null && e.state.finished()) {
        finished.add(e);
      }
    }
    if (finished.size() > maxFinished) {
      finished.sort(Comparator.comparing(x -> x.finishedAt));
      for (int i = 0; i < finished.size() - maxFinished; i++) {
        jobs.remove(finished.get(i).id);
      }
    }
  }

  @Override
  public void close() {
    for (Entry e : jobs.values()) {
      e.cancelRequested = true;
    }
    executor.shutdownNow();
    try {
      executor.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
    }
  }
}
