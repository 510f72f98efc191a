package io.cvmsim.api.workload;

import io.cvmsim.api.jobs.JobResponse;
import io.cvmsim.config.CvmsimProperties;
import io.cvmsim.core.SimulatorException;
import io.cvmsim.core.jobs.JobManager;
import io.cvmsim.core.jobs.JobView;
import io.cvmsim.core.vm.GuestVm;
import io.cvmsim.core.vm.VmRegistry;
import io.cvmsim.core.workload.Workload;
import io.cvmsim.core.workload.WorkloadParams;
import io.cvmsim.core.workload.WorkloadType;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Starts workloads on a VM as jobs. Parameters are checked before anything is queued (400 naming
 * the parameter); the answer is 202 with {@code Location: /api/v1/jobs/{jobId}}.
 */
@RestController
@RequestMapping(path = "/api/v1/vms/{id}/workloads", produces = "application/json")
@Tag(name = "Workloads", description = "Seeded workloads and trace replay, run as jobs")
class WorkloadController {

  private static final String PARAMETERS =
      "kernel-build: parallelism (1..4096, default 8), events (default 1000000), anonFraction"
          + " (0.01..0.95, default 0.5), jobBytes (a size; default from the guest), thp (0|1,"
          + " default 1), seed. memory-hog: fill (0..1 of free memory, default 0.9) or bytes (a"
          + " size), order (0..10), gfp (default GFP_HIGHUSER_MOVABLE), release (0..1, default 1),"
          + " backing (anon: held blocks, the default | file: order-0 pages written through the"
          + " page cache and reclaimed under pressure), seed. fragmenter: fill (default 0.5) or bytes, order, gfp, every (keep every n-th"
          + " block, default 2), thenBytes, thenOrder, thenGfp (default GFP_KERNEL), seed."
          + " trace-replay: trace (the text), seed. Sizes are integers or strings such as"
          + " \"64MiB\".";

  private final VmRegistry registry;
  private final JobManager jobs;
  private final long defaultSeed;

  WorkloadController(VmRegistry registry, JobManager jobs, CvmsimProperties properties) {
    this.registry = registry;
    this.jobs = jobs;
    this.defaultSeed = properties.defaultSeed();
  }

  @PostMapping(consumes = "application/json")
  @Operation(
      summary = "Run a workload",
      description =
          "Starts a workload as a job: {\"type\": kernel-build | memory-hog | fragmenter |"
              + " trace-replay, ...its parameters}. Unknown parameters, wrong types and values"
              + " out of range are a 400 naming the parameter; nothing is queued then. The seed"
              + " defaults to cvmsim.default-seed. 503 with Retry-After when the job queue is"
              + " full. Poll the job at the Location.")
  @io.swagger.v3.oas.annotations.parameters.RequestBody(
      description = "The workload type and its parameters. " + PARAMETERS,
      content =
          @Content(
              schema = @Schema(type = "object", description = "{type, ...parameters}"),
              examples = {
                @ExampleObject(
                    name = "kernel-build",
                    value =
                        "{\"type\":\"kernel-build\",\"parallelism\":8,\"events\":200000,"
                            + "\"seed\":42}"),
                @ExampleObject(
                    name = "memory-hog",
                    value = "{\"type\":\"memory-hog\",\"fill\":0.5,\"seed\":1}"),
                @ExampleObject(
                    name = "fragmenter",
                    value = "{\"type\":\"fragmenter\",\"fill\":0.5,\"every\":2,\"seed\":7}")
              }))
  @ApiResponse(
      responseCode = "202",
      description = "Queued; the body is the job",
      headers = @Header(name = "Location", description = "/api/v1/jobs/{jobId}"))
  ResponseEntity<JobResponse> start(
      @Parameter(description = "VM id or name", example = "tdx-64g") @PathVariable String id,
      @RequestBody Map<String, Object> body) {
    checkScalars(body);
    Object type = body.get("type");
    if (type != null && !(type instanceof String)) {
      throw SimulatorException.badRequest("type", "type must be a string");
    }
    return submit(id, WorkloadType.ofLabel((String) type), body);
  }

  @PostMapping(path = "/trace-replay", consumes = "text/plain")
  @Operation(
      summary = "Replay an uploaded trace",
      description =
          "The body is the text of a kmem:mm_page_alloc / mm_page_free trace as perf script,"
              + " trace-cmd report or the tracing file print it (at most"
              + " cvmsim.limits.max-request-bytes). Starts a trace-replay job; a text without"
              + " one such event is a 400.")
  @ApiResponse(
      responseCode = "202",
      description = "Queued; the body is the job",
      headers = @Header(name = "Location", description = "/api/v1/jobs/{jobId}"))
  ResponseEntity<JobResponse> traceReplay(
      @Parameter(description = "VM id or name", example = "tdx-64g") @PathVariable String id,
      @Parameter(description = "Seed (default cvmsim.default-seed)", example = "42")
          @RequestParam(required = false)
          Long seed,
      @RequestBody String trace) {
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("trace", trace);
    if (seed != null) {
      params.put("seed", seed);
    }
    return submit(id, WorkloadType.TRACE_REPLAY, params);
  }

  private ResponseEntity<JobResponse> submit(
      String id, WorkloadType type, Map<String, Object> params) {
    GuestVm vm = registry.get(id);
    Workload workload = type.create(new WorkloadParams(params), defaultSeed);
    if (type == WorkloadType.TRACE_REPLAY
        && Long.valueOf(0).equals(workload.parameters().get("traceEvents"))) {
      throw SimulatorException.badRequest(
          "trace",
          "the trace has no kmem:mm_page_alloc, mm_page_free or mm_page_free_batched event"
              + " (as perf script, trace-cmd report or the tracing file print them)");
    }
    JobView job =
        jobs.submit(vm.id(), type.label(), workload.parameters(), ctx -> workload.run(vm, ctx));
    return ResponseEntity.accepted()
        .location(URI.create("/api/v1/jobs/" + job.id()))
        .body(JobResponse.of(job));
  }

  /** Refuses numbers beyond 64 bits, which the core's parameter reader would truncate. */
  private static void checkScalars(Map<String, Object> body) {
    for (Map.Entry<String, Object> e : body.entrySet()) {
      if (e.getValue() instanceof BigInteger || e.getValue() instanceof BigDecimal) {
        throw SimulatorException.badRequest(
            e.getKey(), e.getKey() + " is out of range: " + e.getValue());
      }
    }
  }
}
