package io.cvmsim.api.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.cvmsim.api.TestVms;
import io.cvmsim.config.CvmsimConfiguration;
import io.cvmsim.core.jobs.JobManager;
import io.cvmsim.core.vm.VmRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

/** One job thread and one queue slot: the third long workload finds the queue full. */
@WebMvcTest(WorkloadController.class)
@Import(CvmsimConfiguration.class)
@TestPropertySource(properties = {"cvmsim.jobs.threads=1", "cvmsim.jobs.queue-capacity=1"})
class WorkloadQueueFullTest {

  @Autowired MockMvc mvc;
  @Autowired VmRegistry registry;
  @Autowired JobManager jobs;

  @AfterEach
  void deleteVms() {
    TestVms.deleteAll(registry);
  }

  private ResultActions longBuild() throws Exception {
    return mvc.perform(
        post("/api/v1/vms/busy/workloads")
            .contentType(MediaType.APPLICATION_JSON)
            .content("{\"type\":\"kernel-build\",\"events\":1000000000}"));
  }

  @Test
  void fullQueue_is503WithRetryAfter_andQueuesNothing() throws Exception {
    TestVms.tdx(registry, "busy", 1);
    longBuild().andExpect(status().isAccepted());
    longBuild().andExpect(status().isAccepted());
    longBuild()
        .andExpect(status().isServiceUnavailable())
        .andExpect(header().string("Retry-After", "5"))
        .andExpect(jsonPath("$.type").value("https://cvmsim.io/problems/at-capacity"));
    assertThat(jobs.list(null)).hasSize(2);
  }
}
