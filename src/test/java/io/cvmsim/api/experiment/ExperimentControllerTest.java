package io.cvmsim.api.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.startsWith;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.cvmsim.api.JobsAwait;
import io.cvmsim.config.CvmsimConfiguration;
import io.cvmsim.core.experiment.FragmentationExperiment;
import io.cvmsim.core.jobs.JobManager;
import io.cvmsim.core.jobs.JobState;
import io.cvmsim.core.jobs.JobView;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

@WebMvcTest
@Import({CvmsimConfiguration.class, BootTimeResultView.class})
class ExperimentControllerTest {

  @Autowired MockMvc mvc;
  @Autowired JobManager jobs;

  private ResultActions bootTime(String body, MediaType accept) throws Exception {
    return mvc.perform(
        post("/api/v1/experiments/boot-time")
            .contentType(MediaType.APPLICATION_JSON)
            .accept(accept)
            .content(body));
  }

  @Test
  void bootTime_smallGrid_answersTheTableAtOnce() throws Exception {
    bootTime(
            "{\"platforms\":[\"TDX\",\"snp\"],\"memorySizes\":[\"1GiB\",2147483648],"
                + "\"policies\":[\"EAGER\",\"LAZY\"],\"vcpus\":4}",
            MediaType.APPLICATION_JSON)
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.rows.length()").value(8))
        .andExpect(jsonPath("$.rows[0].platform").value("TDX"))
        .andExpect(jsonPath("$.rows[0].memory").value("1GiB"))
        .andExpect(jsonPath("$.rows[0].memoryBytes").value(1L << 30))
        .andExpect(jsonPath("$.rows[0].policy").value("EAGER"))
        .andExpect(jsonPath("$.rows[0].bootSeconds").isNumber())
        .andExpect(jsonPath("$.rows[0].acceptedAtBootBytes").isNumber())
        .andExpect(jsonPath("$.rows[0].phases[0].name").isString())
        .andExpect(jsonPath("$.rows[0].phases[0].seconds").isNumber())
        .andExpect(jsonPath("$.speedups.length()").value(4))
        .andExpect(jsonPath("$.speedups[0].eagerOverLazy").isNumber());
  }

  @Test
  void bootTime_asCsv_hasAHeaderAndOneLinePerGuest() throws Exception {
    String csv =
        bootTime(
                "{\"platforms\":[\"TDX\"],\"memorySizes\":[\"1GiB\"]}",
                MediaType.parseMediaType("text/csv"))
            .andExpect(status().isOk())
            .andExpect(content().contentTypeCompatibleWith("text/csv"))
            .andReturn()
            .getResponse()
            .getContentAsString();
    assertThat(csv.lines())
        .hasSize(3)
        .first()
        .asString()
        .startsWith("platform,memory,memoryBytes,policy,bootSeconds");
  }

  @Test
  void bootTime_largeGrid_runsAsAJob_whoseResultAlsoComesAsCsv() throws Exception {
    String body =
        bootTime(
                "{\"platforms\":[\"TDX\",\"SNP\",\"NONE\"],"
                    + "\"memorySizes\":[\"256MiB\",\"512MiB\",\"1GiB\"]}",
                MediaType.APPLICATION_JSON)
            .andExpect(status().isAccepted())
            .andExpect(header().string("Location", startsWith("/api/v1/jobs/")))
            .andExpect(jsonPath("$.type").value("experiment:boot-time"))
            .andExpect(jsonPath("$.vmId").isEmpty())
            .andReturn()
            .getResponse()
            .getHeader("Location");
    String id = body.substring(body.lastIndexOf('/') + 1);
    JobView done = JobsAwait.finished(jobs, id, Duration.ofSeconds(60));
    assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
    mvc.perform(get("/api/v1/jobs/" + id)).andExpect(jsonPath("$.result.rows.length()").value(18));
    mvc.perform(get("/api/v1/jobs/" + id).accept(MediaType.parseMediaType("text/csv")))
        .andExpect(status().isOk())
        .andExpect(content().string(startsWith("platform,memory,")));
  }

  @Test
  void bootTime_badInput_is4xxNamingTheField() throws Exception {
    String[][] cases = {
      {"{\"platforms\":[\"TDX\",\"ARM\"],\"memorySizes\":[\"1GiB\"]}", "400", "platforms[1]"},
      {"{\"platforms\":[\"TDX\"],\"memorySizes\":[\"1GiB\",\"lots\"]}", "400", "memorySizes[1]"},
      {"{\"platforms\":[\"TDX\"],\"memorySizes\":[\"5TiB\"]}", "413", "memorySizes[0]"},
      {"{\"platforms\":[\"TDX\"],\"memorySizes\":[\"1KiB\"]}", "422", "memorySizes"},
      {"{\"platforms\":[],\"memorySizes\":[\"1GiB\"]}", "400", "platforms"},
      {"{\"platforms\":[\"TDX\"]}", "400", "memorySizes"},
      {"{\"platforms\":[\"TDX\"],\"memorySizes\":[\"1GiB\"],\"kernel\":\"2.6\"}", "400", "kernel"},
      {"{\"platforms\":[\"TDX\"],\"memorySizes\":[\"1GiB\"],\"vcpus\":0}", "400", "vcpus"},
      {"{\"platforms\":[\"TDX\"],\"memorySizes\":[\"1GiB\"],\"extra\":0}", "400", "extra"}
    };
    for (String[] c : cases) {
      bootTime(c[0], MediaType.APPLICATION_JSON)
          .andExpect(status().is(Integer.parseInt(c[1])))
          .andExpect(jsonPath("$.errors[0].field").value(c[2]));
    }
  }

  @Test
  void fragmentation_runsAsAJob_comparingLazyAndEager() throws Exception {
    String location =
        mvc.perform(
                post("/api/v1/experiments/fragmentation")
                    .contentType(MediaType.APPLICATION_JSON)
                    .content(
                        "{\"workload\":{\"type\":\"kernel-build\",\"events\":3000},"
                            + "\"memory\":\"1GiB\",\"seeds\":[1,2],\"vcpus\":2}"))
            .andExpect(status().isAccepted())
            .andExpect(jsonPath("$.type").value("experiment:fragmentation"))
            .andExpect(jsonPath("$.parameters.memory").value("1GiB"))
            .andReturn()
            .getResponse()
            .getHeader("Location");
    String id = location.substring(location.lastIndexOf('/') + 1);
    JobView done = JobsAwait.finished(jobs, id, Duration.ofSeconds(60));
    assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
    assertThat(done.result()).isInstanceOf(FragmentationExperiment.Result.class);
    mvc.perform(get("/api/v1/jobs/" + id))
        .andExpect(jsonPath("$.result.runs.length()").value(2))
        .andExpect(jsonPath("$.result.meanLazyOverEager").isNumber());
    mvc.perform(get("/api/v1/jobs/" + id).accept(MediaType.parseMediaType("text/csv")))
        .andExpect(status().isConflict());
  }

  @Test
  void fragmentation_badInput_isRefusedBeforeQueuing() throws Exception {
    int before = jobs.list(null).size();
    String[][] cases = {
      {"{\"workload\":{\"type\":\"kernel-build\",\"events\":0}}", "400", "workload.events"},
      {"{\"workload\":{\"type\":\"nope\"}}", "400", "workload.type"},
      {"{\"workload\":{\"events\":null}}", "400", "workload.events"},
      {"{\"memory\":\"5TiB\"}", "413", "memory"},
      {"{\"seeds\":[-1]}", "400", "seeds[0]"},
      {"{\"platform\":\"NONE\"}", "400", "platform"}
    };
    for (String[] c : cases) {
      mvc.perform(
              post("/api/v1/experiments/fragmentation")
                  .contentType(MediaType.APPLICATION_JSON)
                  .content(c[0]))
          .andExpect(status().is(Integer.parseInt(c[1])))
          .andExpect(jsonPath("$.errors[0].field").value(c[2]));
    }
    assertThat(jobs.list(null)).hasSize(before);
  }
}
