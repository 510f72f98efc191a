package io.cvmsim.api.workload;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyMap;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.BDDMockito.given;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.cvmsim.api.TestVms;
import io.cvmsim.config.CvmsimConfiguration;
import io.cvmsim.core.SimulatorException;
import io.cvmsim.core.jobs.JobManager;
import io.cvmsim.core.vm.VmRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/** The job manager is a mock here: a full queue must answer 503 with Retry-After. */
@WebMvcTest(WorkloadController.class)
@Import(CvmsimConfiguration.class)
class WorkloadQueueFullTest {

  @Autowired MockMvc mvc;
  @Autowired VmRegistry registry;
  @MockitoBean JobManager jobs;

  @Test
  void fullQueue_is503WithRetryAfter() throws Exception {
    TestVms.tdx(registry, "busy", 1);
    given(jobs.submit(anyString(), anyString(), anyMap(), any()))
        .willThrow(
            new SimulatorException(SimulatorException.Kind.AT_CAPACITY, null, "queue is full"));
    mvc.perform(
            post("/api/v1/vms/busy/workloads")
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"type\":\"memory-hog\"}"))
        .andExpect(status().isServiceUnavailable())
        .andExpect(header().string("Retry-After", "5"))
        .andExpect(jsonPath("$.detail").value("queue is full"));
  }
}
