package io.cvmsim.api.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.startsWith;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.cvmsim.api.JobsAwait;
import io.cvmsim.api.TestVms;
import io.cvmsim.api.jobs.JobResponse;
import io.cvmsim.config.CvmsimConfiguration;
import io.cvmsim.core.jobs.JobManager;
import io.cvmsim.core.jobs.JobState;
import io.cvmsim.core.jobs.JobView;
import io.cvmsim.core.vm.VmRegistry;
import io.cvmsim.scenario.ScenarioResult;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import tools.jackson.databind.json.JsonMapper;

@WebMvcTest(ScenarioController.class)
@Import(CvmsimConfiguration.class)
class ScenarioControllerTest {

  static final String HOG =
      """
      name: hog
      vms: [{name: g, memory: 2GiB}]
      steps:
        - workload: {id: h, type: memory-hog, fill: 0.9, release: 0, seed: 1}
      expect:
        - meminfo.Unaccepted < 1GiB
        - steps.h.failures == 0
        - meminfo.MemFree > 90% of meminfo.MemTotal
      """;

  @Autowired MockMvc mvc;
  @Autowired VmRegistry registry;
  @Autowired JobManager jobs;
  @Autowired JsonMapper json;

  @AfterEach
  void deleteVms() {
    TestVms.deleteAll(registry);
  }

  private JobView finished(MvcResult r) throws Exception {
    String id = json.readValue(r.getResponse().getContentAsString(), JobResponse.class).id();
    return JobsAwait.finished(jobs, id, Duration.ofSeconds(60));
  }

  @Test
  void yamlScenario_runsAsAJob_whoseResultListsEveryExpectation() throws Exception {
    MvcResult r =
        mvc.perform(post("/api/v1/scenarios").contentType("application/yaml").content(HOG))
            .andExpect(status().isAccepted())
            .andExpect(header().string("Location", startsWith("/api/v1/jobs/job-")))
            .andExpect(jsonPath("$.type").value("scenario"))
            .andExpect(jsonPath("$.vmId").doesNotExist())
            .andExpect(jsonPath("$.parameters.name").value("hog"))
            .andReturn();

    JobView job = finished(r);
    assertThat(job.state()).isEqualTo(JobState.SUCCEEDED);
    ScenarioResult result = (ScenarioResult) job.result();
    assertThat(result.passed()).isFalse();
    assertThat(result.expectations())
        .extracting(ScenarioResult.ExpectationOutcome::status)
        .containsExactly(
            ScenarioResult.Status.PASSED,
            ScenarioResult.Status.PASSED,
            ScenarioResult.Status.FAILED);
    ScenarioResult.ExpectationOutcome failed = result.expectations().get(2);
    assertThat(failed.expected()).startsWith("> ");
    assertThat(failed.line()).isEqualTo(8);
    assertThat(failed.column()).isEqualTo(5);
    assertThat(registry.size()).as("the scenario's VMs are deleted").isZero();
  }

  @Test
  void theJobsJson_carriesStatusesAndValues() throws Exception {
    MvcResult r =
        mvc.perform(
                post("/api/v1/scenarios")
                    .contentType("application/json")
                    .content(
                        "{\"name\":\"j\",\"vms\":[{\"name\":\"g\",\"memory\":\"1GiB\"}],"
                            + "\"expect\":[\"meminfo.MemTotal > 512MiB\"]}"))
            .andExpect(status().isAccepted())
            .andReturn();
    JobView job = finished(r);

    String text = json.writeValueAsString(JobResponse.of(job));
    assertThat(text)
        .contains("\"passed\":true")
        .contains("\"status\":\"PASSED\"")
        .contains("\"expected\":\"> 512MiB\"")
        .contains("\"expectedValue\":536870912")
        .contains("\"unit\":\"bytes\"");
  }

  @Test
  void yamlWithoutACharset_isReadAsUtf8() throws Exception {
    MvcResult r =
        mvc.perform(
                post("/api/v1/scenarios")
                    .contentType("application/yaml")
                    .content(
                        "name: u\ndescription: lazy — eager, 4 GiB\nvms: [{name: g, memory: 1GiB}]\n"
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8)))
            .andExpect(status().isAccepted())
            .andReturn();

    assertThat(((ScenarioResult) finished(r).result()).description())
        .isEqualTo("lazy — eager, 4 GiB");
  }

  @Test
  void everyYamlMediaType_isAccepted() throws Exception {
    for (String type : new String[] {"text/yaml", "application/x-yaml"}) {
      mvc.perform(
              post("/api/v1/scenarios")
                  .contentType(type)
                  .content("name: t\nvms: [{name: g, memory: 1GiB}]\n"))
          .andExpect(status().isAccepted());
    }
    mvc.perform(post("/api/v1/scenarios").contentType("text/plain").content("name: t"))
        .andExpect(status().isUnsupportedMediaType());
  }

  @Test
  void keepVms_keepsThemUnderTheirRunNames() throws Exception {
    MvcResult r =
        mvc.perform(
                post("/api/v1/scenarios?keepVms=true")
                    .contentType("application/yaml")
                    .content("name: k\nvms: [{name: g, memory: 1GiB}]\n"))
            .andExpect(status().isAccepted())
            .andReturn();
    ScenarioResult result = (ScenarioResult) finished(r).result();

    assertThat(result.keptVms()).isTrue();
    assertThat(registry.get("g-" + result.runId()).id()).isEqualTo(result.vms().get(0).id());
  }

  @Test
  void aFileThatIsNotYaml_is400_withTheLineAndColumn() throws Exception {
    mvc.perform(
            post("/api/v1/scenarios")
                .contentType("application/yaml")
                .content("name: x\nvms: [{name: g\n"))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.type").value("https://cvmsim.io/problems/invalid-request"))
        .andExpect(jsonPath("$.errors[0].message", startsWith("YAML syntax:")))
        .andExpect(jsonPath("$.errors[0].line").value(3))
        .andExpect(jsonPath("$.errors[0].column").isNumber());
  }

  @Test
  void anInvalidFile_is422_withEveryProblemAndItsPosition() throws Exception {
    int jobsBefore = jobs.list(null).size();
    mvc.perform(
            post("/api/v1/scenarios")
                .contentType("application/yaml")
                .content(
                    """
                    name: bad
                    vms: [{name: g, memory: 1GiB}]
                    steps:
                      - allocate: {vm: h}
                    expect:
                      - meminfo.Unacepted < 1GiB
                      - boot.seconds > 1GiB
                    """))
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.detail", startsWith("the scenario has 3 problems")))
        .andExpect(jsonPath("$.errors.length()").value(3))
        .andExpect(jsonPath("$.errors[0].field").value("steps[0].allocate.vm"))
        .andExpect(jsonPath("$.errors[0].line").value(4))
        .andExpect(jsonPath("$.errors[0].column").value(20))
        .andExpect(jsonPath("$.errors[1].line").value(6))
        .andExpect(jsonPath("$.errors[1].column").value(13))
        .andExpect(
            jsonPath("$.errors[2].message", startsWith("cannot compare seconds with bytes")));
    assertThat(jobs.list(null)).as("nothing was queued").hasSize(jobsBefore);
  }

  @Test
  void aScenarioOverTheLimits_is413() throws Exception {
    mvc.perform(
            post("/api/v1/scenarios")
                .contentType("application/yaml")
                .content("name: big\nvms: [{name: g, memory: 5TiB}]\n"))
        .andExpect(status().isContentTooLarge())
        .andExpect(
            jsonPath("$.errors[0].message")
                .value(
                    "the VM would have 5TiB of RAM, over cvmsim.limits.max-memory-per-vm (4TiB)"))
        .andExpect(jsonPath("$.errors[0].line").value(2));
  }
}
