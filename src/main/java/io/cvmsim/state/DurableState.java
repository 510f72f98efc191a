package io.cvmsim.state;

import io.cvmsim.config.CvmsimProperties;
import io.cvmsim.core.SimulatorException;
import io.cvmsim.core.jobs.JobManager;
import io.cvmsim.core.jobs.JobState;
import io.cvmsim.core.jobs.JobView;
import io.cvmsim.core.snapshot.SnapshotFormat;
import io.cvmsim.core.vm.GuestVm;
import io.cvmsim.core.vm.VmRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Keeps the VMs across restarts when {@code cvmsim.state.dir} is set. In the directory, each VM is
 * {@code <id>.cvmsnap} (its snapshot, docs/SNAPSHOT.md) and, once it has jobs, {@code
 * <id>.jobs.json} (their records). Every {@code cvmsim.state.interval} the VMs that changed since
 * they were last written are written again, and so are job records that changed; at a graceful
 * shutdown the running jobs are stopped and everything is written; a deleted VM's files go with it.
 * Each file is written whole or not at all ({@link StateDirectory}), so a SIGKILL loses at most the
 * changes of the last interval.
 *
 * <p>At start, before the web server takes requests, every VM is restored under its own id and its
 * jobs' records with it; a job that was queued or running comes back {@link JobState#INTERRUPTED}.
 * A file that cannot be restored (corrupt, of an unknown format version, over a limit, or not a
 * file cvmsim writes) is logged and moved to {@code rejected/}: never fatal, never silently
 * dropped.
 */
@Component
@ConditionalOnWebApplication
final class DurableState implements SmartLifecycle {

  /** The suffix of a VM's snapshot file. */
  static final String SNAPSHOT = SnapshotFormat.EXTENSION;

  /** The suffix of a VM's job records. */
  static final String JOBS = ".jobs.json";

  /** The layout version of the job records. */
  static final int JOBS_VERSION = 1;

  private static final Logger log = LoggerFactory.getLogger(DurableState.class);

  private final CvmsimProperties.State settings;
  private final long maxSnapshotBytes;
  private final VmRegistry registry;
  private final JobManager jobs;
  private final JsonMapper json;
  private final Map<String, Long> savedChanges = new HashMap<>();
  private final Map<String, byte[]> savedJobs = new HashMap<>();
  private StateDirectory dir;
  private ScheduledExecutorService saver;
  private volatile boolean running;

  /** A job's record as the state directory holds it. */
  record JobRecord(
      int version,
      String id,
      String vmId,
      String type,
      Map<String, Object> parameters,
      JobState state,
      double progress,
      Object result,
      String error,
      Instant createdAt,
      Instant startedAt,
      Instant finishedAt) {

    static JobRecord of(JobView j, boolean interrupted) {
      return new JobRecord(
          JOBS_VERSION,
          j.id(),
          j.vmId(),
          j.type(),
          j.parameters(),
          interrupted ? JobState.INTERRUPTED : j.state(),
          j.progress(),
          j.result(),
          j.error(),
          j.createdAt(),
          j.startedAt(),
          j.finishedAt());
    }

    JobView view() {
      return new JobView(
          id,
          vmId,
          type,
          parameters == null ? Map.of() : parameters,
          state,
          progress,
          result,
          error,
          createdAt,
          startedAt,
          finishedAt);
    }
  }

  DurableState(CvmsimProperties properties, VmRegistry registry, JobManager jobs, JsonMapper json) {
    this.settings = properties.state();
    this.maxSnapshotBytes = properties.limits().maxSnapshotBytes().bytes();
    this.registry = registry;
    this.jobs = jobs;
    this.json = json;
  }

  /** Starts before the web server does and stops after it stopped taking requests. */
  @Override
  public int getPhase() {
    return WebServerApplicationContext.START_STOP_LIFECYCLE_PHASE - 1024;
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public void start() {
    if (settings.enabled()) {
      long t0 = System.nanoTime();
      dir = new StateDirectory(Path.of(settings.dir()));
      dir.removeTemporaries();
      int[] counts = restore();
      registry.onRemove(this::forget);
      saver =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "cvmsim-state");
                t.setDaemon(true);
                return t;
              });
      long every = settings.interval().toMillis();
      saver.scheduleWithFixedDelay(this::saveQuietly, every, every, TimeUnit.MILLISECONDS);
      log.info(
          "durable state in {}: restored {} VMs and {} job records in {} ms; saving every {}",
          dir.path(),
          counts[0],
          counts[1],
          (System.nanoTime() - t0) / 1_000_000,
          settings.interval());
    }
    running = true;
  }

  @Override
  public void stop() {
    if (dir != null) {
      saver.shutdown();
      try {
        saver.awaitTermination(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      Set<String> interrupted = new HashSet<>();
      for (JobView j : jobs.list(null)) {
        if (j.vmId() != null && !j.state().finished()) {
          interrupted.add(j.id());
        }
      }
      jobs.close();
      try {
        save(interrupted);
        log.info("durable state: saved every VM to {} at shutdown", dir.path());
      } catch (IOException e) {
        log.error("durable state: cannot save to {} at shutdown", dir.path(), e);
      }
      dir.close();
      dir = null;
    }
    running = false;
  }

  // ------------------------------------------------------------------ saving

  private void saveQuietly() {
    try {
      save(Set.of());
    } catch (IOException | RuntimeException e) {
      log.warn(
          "durable state: saving to {} failed; retrying in {}", dir.path(), settings.interval(), e);
    }
  }

  /**
   * Writes every VM that changed since it was last written, and every VM's job records that
   * changed; the jobs in {@code interrupted} are written as INTERRUPTED.
   */
  synchronized void save(Set<String> interrupted) throws IOException {
    if (dir == null) {
      return;
    }
    for (GuestVm vm : registry.list()) {
      long changes = vm.changes();
      Long saved = savedChanges.get(vm.id());
      if (saved == null || saved != changes) {
        byte[] snapshot;
        try {
          snapshot = vm.snapshot();
        } catch (SimulatorException e) {
          continue; // deleted meanwhile
        }
        if (vm.isDeleted()) {
          continue;
        }
        dir.write(vm.id() + SNAPSHOT, snapshot);
        savedChanges.put(vm.id(), changes);
      }
      List<JobRecord> records = new ArrayList<>();
      for (JobView j : jobs.list(vm.id())) {
        records.add(JobRecord.of(j, interrupted.contains(j.id())));
      }
      byte[] before = savedJobs.get(vm.id());
      if (records.isEmpty() && before == null) {
        continue;
      }
      byte[] now = json.writeValueAsBytes(records);
      if (!Arrays.equals(before, now)) {
        dir.write(vm.id() + JOBS, now);
        savedJobs.put(vm.id(), now);
      }
    }
  }

  /** A VM was deleted: its files go too. */
  private synchronized void forget(GuestVm vm) {
    savedChanges.remove(vm.id());
    savedJobs.remove(vm.id());
    if (dir == null) {
      return;
    }
    try {
      dir.delete(vm.id() + SNAPSHOT);
      dir.delete(vm.id() + JOBS);
    } catch (IOException e) {
      log.warn("durable state: cannot delete the files of VM {}", vm.id(), e);
    }
  }

  // ------------------------------------------------------------------ restoring

  /** Restores every VM and job record; returns how many of each. */
  private int[] restore() {
    Set<String> restored = new HashSet<>();
    for (Path f : dir.files(SNAPSHOT)) {
      String file = f.getFileName().toString();
      try {
        long size = Files.size(f);
        if (size > maxSnapshotBytes + (maxSnapshotBytes >> 6) + 4096) {
          throw new IllegalStateException(
              "it is "
                  + size
                  + " bytes, more than a snapshot within cvmsim.limits.max-snapshot-bytes can be");
        }
        GuestVm vm = registry.restore(Files.readAllBytes(f), null, true);
        if (!file.equals(vm.id() + SNAPSHOT)) {
          dir.write(vm.id() + SNAPSHOT, Files.readAllBytes(f));
          Files.delete(f);
          log.info(
              "durable state: {} holds VM {}; renamed it {}", file, vm.id(), vm.id() + SNAPSHOT);
        }
        savedChanges.put(vm.id(), vm.changes());
        restored.add(vm.id());
        log.info("durable state: restored VM {} ({}) from {}", vm.id(), vm.name(), file);
      } catch (IOException | RuntimeException e) {
        reject(f, e);
      }
    }
    int records = 0;
    for (Path f : dir.files(JOBS)) {
      String file = f.getFileName().toString();
      String vmId = file.substring(0, file.length() - JOBS.length());
      if (!restored.contains(vmId)) {
        reject(f, new IllegalStateException("its VM " + vmId + " was not restored"));
        continue;
      }
      try {
        JobRecord[] saved = json.readValue(Files.readAllBytes(f), JobRecord[].class);
        List<JobRecord> checked = new ArrayList<>();
        for (JobRecord r : saved) {
          if (r.version() != JOBS_VERSION || !vmId.equals(r.vmId()) || r.id() == null) {
            throw new IllegalStateException(
                "a record has version " + r.version() + " or belongs to VM " + r.vmId());
          }
          checked.add(r);
        }
        for (JobRecord r : checked) {
          jobs.restore(r.view());
          records++;
        }
        savedJobs.put(vmId, Files.readAllBytes(f));
      } catch (IOException | RuntimeException e) {
        reject(f, e);
      }
    }
    for (Path f : dir.otherFiles(List.of(SNAPSHOT, JOBS))) {
      reject(f, new IllegalStateException("it is not a file cvmsim writes"));
    }
    return new int[] {restored.size(), records};
  }

  private void reject(Path file, Exception why) {
    Path to = dir.moveAside(file);
    log.warn(
        "durable state: cannot restore {}: {}; moved it to {}",
        file.getFileName(),
        why.getMessage() != null ? why.getMessage() : why.toString(),
        to);
  }
}
