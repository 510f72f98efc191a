package io.cvmsim.api.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.startsWith;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.cvmsim.api.JobsAwait;
import io.cvmsim.api.TestVms;
import io.cvmsim.api.jobs.JobResponse;
import io.cvmsim.config.CvmsimConfiguration;
import io.cvmsim.core.SimulatorException;
import io.cvmsim.core.jobs.JobManager;
import io.cvmsim.core.jobs.JobState;
import io.cvmsim.core.jobs.JobView;
import io.cvmsim.core.vm.GuestVm;
import io.cvmsim.core.vm.VmRegistry;
import io.cvmsim.core.workload.WorkloadResult;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import tools.jackson.databind.json.JsonMapper;

@WebMvcTest
@Import(CvmsimConfiguration.class)
class WorkloadControllerTest {

  @Autowired MockMvc mvc;
  @Autowired VmRegistry registry;
  @Autowired JobManager jobs;
  @Autowired JsonMapper json;

  @AfterEach
  void deleteVms() {
    TestVms.deleteAll(registry);
  }

  private String jobId(MvcResult r) throws Exception {
    return json.readValue(r.getResponse().getContentAsString(), JobResponse.class).id();
  }

  @Test
  void kernelBuild_runsAsAJob_toCompletion() throws Exception {
    GuestVm vm = TestVms.tdx(registry, "build", 2);
    MvcResult r =
        mvc.perform(
                post("/api/v1/vms/build/workloads")
                    .contentType(MediaType.APPLICATION_JSON)
                    .content("{\"type\":\"kernel-build\",\"parallelism\":2,\"events\":5000}"))
            .andExpect(status().isAccepted())
            .andExpect(header().string("Location", startsWith("/api/v1/jobs/job-")))
            .andExpect(jsonPath("$.vmId").value(vm.id()))
            .andExpect(jsonPath("$.type").value("kernel-build"))
            .andExpect(jsonPath("$.parameters.parallelism").value(2))
            .andExpect(jsonPath("$.parameters.seed").value(42))
            .andReturn();
    String id = jobId(r);
    JobView done = JobsAwait.finished(jobs, id, Duration.ofSeconds(30));
    assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
    assertThat(done.result()).isInstanceOf(WorkloadResult.class);
    mvc.perform(get("/api/v1/jobs/" + id))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.id").value(id))
        .andExpect(jsonPath("$.state").value("SUCCEEDED"))
        .andExpect(jsonPath("$.progress").value(1.0))
        .andExpect(jsonPath("$.result.events").value(5000))
        .andExpect(jsonPath("$.result.seed").value(42))
        .andExpect(jsonPath("$.error").isEmpty())
        .andExpect(jsonPath("$.createdAt").isString())
        .andExpect(jsonPath("$.startedAt").isString())
        .andExpect(jsonPath("$.finishedAt").isString());
    mvc.perform(get("/api/v1/vms/build/jobs"))
        .andExpect(jsonPath("$.items[0].id").value(id))
        .andExpect(jsonPath("$.total").value(1));
    mvc.perform(delete("/api/v1/jobs/" + id))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.state").value("SUCCEEDED"));
    vm.checkInvariants();
  }

  @Test
  void badParameters_are400NamingTheParameter_andQueueNothing() throws Exception {
    TestVms.tdx(registry, "bad", 1);
    int before = jobs.list(null).size();
    String[][] cases = {
      {"{\"type\":\"kernel-build\",\"parallelism\":0}", "parallelism"},
      {"{\"type\":\"kernel-build\",\"bogus\":1}", "bogus"},
      {"{\"type\":\"kernel-build\",\"events\":\"many\"}", "events"},
      {"{\"type\":\"memory-hog\",\"fill\":2}", "fill"},
      {"{\"type\":\"fragmenter\",\"gfp\":\"GFP_NOPE\"}", "gfp"},
      {"{\"type\":\"warp-drive\"}", "type"},
      {"{\"parallelism\":2}", "type"},
      {"{\"type\":\"kernel-build\",\"seed\":123456789012345678901234567890}", "seed"}
    };
    for (String[] c : cases) {
      mvc.perform(
              post("/api/v1/vms/bad/workloads")
                  .contentType(MediaType.APPLICATION_JSON)
                  .content(c[0]))
          .andExpect(status().isBadRequest())
          .andExpect(jsonPath("$.errors[0].field").value(c[1]));
    }
    assertThat(jobs.list(null)).hasSize(before);
  }

  @Test
  void traceReplay_takesATextPlainBody() throws Exception {
    TestVms.tdx(registry, "trace", 1);
    String trace =
        "cc1-1 [000] .... 1.000: mm_page_alloc: page=0x1 pfn=0x100000 order=0 migratetype=0"
            + " gfp_flags=GFP_KERNEL\n"
            + "cc1-1 [000] .... 1.001: mm_page_free: page=0x1 pfn=0x100000 order=0\n";
    MvcResult r =
        mvc.perform(
                post("/api/v1/vms/trace/workloads/trace-replay")
                    .param("seed", "7")
                    .contentType(MediaType.TEXT_PLAIN)
                    .content(trace))
            .andExpect(status().isAccepted())
            .andExpect(jsonPath("$.type").value("trace-replay"))
            .andExpect(jsonPath("$.parameters.traceEvents").value(2))
            .andExpect(jsonPath("$.parameters.seed").value(7))
            .andReturn();
    assertThat(JobsAwait.finished(jobs, jobId(r), Duration.ofSeconds(30)).state())
        .isEqualTo(JobState.SUCCEEDED);
  }

  @Test
  void deletingTheVm_cancelsAndForgetsItsJobs() throws Exception {
    TestVms.tdx(registry, "doomed", 2);
    MvcResult r =
        mvc.perform(
                post("/api/v1/vms/doomed/workloads")
                    .contentType(MediaType.APPLICATION_JSON)
                    .content("{\"type\":\"kernel-build\",\"events\":50000000}"))
            .andExpect(status().isAccepted())
            .andReturn();
    String id = jobId(r);
    mvc.perform(delete("/api/v1/jobs/" + id))
        .andExpect(jsonPath("$.id").value(id))
        .andExpect(status().is2xxSuccessful());
    registry.delete("doomed");
    assertThatThrownBy(() -> jobs.get(id)).isInstanceOf(SimulatorException.class);
    mvc.perform(get("/api/v1/jobs/" + id)).andExpect(status().isNotFound());
  }

  @Test
  void unknownJob_is404() throws Exception {
    mvc.perform(get("/api/v1/jobs/job-nope"))
        .andExpect(status().isNotFound())
        .andExpect(jsonPath("$.type").value("https://cvmsim.io/problems/not-found"));
    mvc.perform(delete("/api/v1/jobs/job-nope")).andExpect(status().isNotFound());
    mvc.perform(get("/api/v1/vms/nope/jobs")).andExpect(status().isNotFound());
  }
}
