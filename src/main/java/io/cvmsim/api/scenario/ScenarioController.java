package io.cvmsim.api.scenario;

import io.cvmsim.api.jobs.JobResponse;
import io.cvmsim.config.CvmsimProperties;
import io.cvmsim.core.jobs.JobManager;
import io.cvmsim.core.jobs.JobView;
import io.cvmsim.core.vm.VmRegistry;
import io.cvmsim.scenario.Scenario;
import io.cvmsim.scenario.ScenarioLimits;
import io.cvmsim.scenario.ScenarioParser;
import io.cvmsim.scenario.ScenarioRunner;
import io.cvmsim.scenario.doc.Documents;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Runs scenario files as jobs. The file is checked completely before anything runs: a bad one is a
 * problem listing every error with its line and column (400 when it cannot be parsed, 422 when a
 * field, name, reference or type is wrong, 413 when it asks for more than cvmsim.limits allow).
 */
@RestController
@RequestMapping(path = "/api/v1/scenarios", produces = "application/json")
@Tag(
    name = "Scenarios",
    description = "Scenario files (VMs, steps, expectations) run as jobs; docs/SCENARIOS.md")
class ScenarioController {

  private static final String EXAMPLE_YAML =
      """
      name: hog-drains-unaccepted
      vms:
        - name: lazy
          platform: TDX
          memory: 4GiB
      steps:
        - expect: meminfo.Unaccepted > 2GiB
        - workload: {type: memory-hog, fill: 0.9, release: 0, seed: 1, id: hog}
      expect:
        - meminfo.Unaccepted < 512MiB
        - steps.hog.failures == 0
        - host.backedBytes >= 90% of meminfo.MemTotal
      """;

  private static final String EXAMPLE_JSON =
      "{\"name\":\"boot-speedup\",\"vms\":[{\"name\":\"lazy\",\"memory\":\"4GiB\","
          + "\"hostPageSize\":\"4K\"},{\"name\":\"eager\",\"memory\":\"4GiB\","
          + "\"hostPageSize\":\"4K\",\"acceptPolicy\":\"EAGER\"}],"
          + "\"expect\":[\"boot.seconds(lazy) * 2.0 <= boot.seconds(eager)\"]}";

  private final VmRegistry registry;
  private final JobManager jobs;
  private final CvmsimProperties properties;

  ScenarioController(VmRegistry registry, JobManager jobs, CvmsimProperties properties) {
    this.registry = registry;
    this.jobs = jobs;
    this.properties = properties;
  }

  @PostMapping(
      consumes = {"application/yaml", "application/x-yaml", "text/yaml", "application/json"})
  @Operation(
      summary = "Run a scenario",
      description =
          "Checks the scenario file (YAML or JSON, as the Content-Type says) and runs it as a job:"
              + " creates its VMs (registered as <name>-<runId>, within cvmsim.limits), runs the"
              + " steps in order and evaluates the expectations. The job's result lists every VM,"
              + " step and expectation with PASSED/FAILED/ERROR/SKIPPED and the actual and"
              + " expected values. The VMs are deleted when the run ends, unless keepVms=true."
              + " The body is read as UTF-8 unless the Content-Type names another charset."
              + " A bad file is a problem whose errors carry line and column: 400 (not YAML or"
              + " JSON), 422 (unknown field, VM, view, counter, step or label; a type error), 413"
              + " (over a limit); 503 with Retry-After when the registry has no room for its VMs"
              + " now or the job queue is full.")
  @io.swagger.v3.oas.annotations.parameters.RequestBody(
      description = "The scenario file (docs/SCENARIOS.md)",
      content = {
        @Content(
            mediaType = "application/yaml",
            schema = @Schema(type = "string"),
            examples = @ExampleObject(name = "memory hog", value = EXAMPLE_YAML)),
        @Content(
            mediaType = "application/json",
            schema = @Schema(type = "object"),
            examples = @ExampleObject(name = "boot speed-up", value = EXAMPLE_JSON))
      })
  @ApiResponse(
      responseCode = "202",
      description = "Checked and queued; the body is the job (its result: the scenario's outcome)",
      headers = @Header(name = "Location", description = "/api/v1/jobs/{jobId}"))
  ResponseEntity<JobResponse> run(
      @RequestHeader(HttpHeaders.CONTENT_TYPE) String contentType,
      @Parameter(description = "Keep the scenario's VMs after the run", example = "false")
          @RequestParam(defaultValue = "false")
          boolean keepVms,
      @RequestBody byte[] body) {
    MediaType type = MediaType.parseMediaType(contentType);
    Charset charset = type.getCharset() != null ? type.getCharset() : StandardCharsets.UTF_8;
    Scenario scenario =
        ScenarioParser.parse(
            new String(body, charset),
            Documents.Format.ofMediaType(contentType),
            "the scenario",
            ScenarioLimits.of(properties.limits()),
            properties.defaultSeed());
    ScenarioRunner runner = new ScenarioRunner(registry, properties.defaultSeed());
    runner.checkRoom(scenario);
    String runId = ScenarioRunner.newRunId();
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("name", scenario.name());
    parameters.put("runId", runId);
    parameters.put("vms", scenario.vms().size());
    parameters.put("steps", scenario.steps().size());
    parameters.put("keepVms", keepVms);
    JobView job =
        jobs.submit(null, "scenario", parameters, ctx -> runner.run(scenario, runId, keepVms, ctx));
    return ResponseEntity.accepted()
        .location(URI.create("/api/v1/jobs/" + job.id()))
        .body(JobResponse.of(job));
  }
}
