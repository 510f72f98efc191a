package io.cvmsim.api.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import io.cvmsim.config.CvmsimConfiguration;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

/**
 * A comparison that outlives the request: the 202 is JSON whatever was accepted, Prefer:
 * respond-async skips the wait, and the finished job answers as the endpoint would, JSON or CSV.
 */
@WebMvcTest
@Import({CvmsimConfiguration.class, KernelComparisonResultView.class})
@TestPropertySource(properties = "cvmsim.jobs.sync-wait=0s")
class KernelComparisonJobTest {

  static final String BOOT = KernelComparisonControllerTest.BOOT;

  @Autowired MockMvc mvc;

  @Test
  void csvAsked_butTheJobRunsOn_answers202WithTheJobAsJson() throws Exception {
    MvcResult r =
        mvc.perform(
                post("/api/v1/experiments/kernel-comparison")
                    .contentType(MediaType.APPLICATION_JSON)
                    .accept("text/csv")
                    .content("{\"recording\":\"" + BOOT + "\"}"))
            .andReturn();
    // With no wait at all the job may still have finished first; both answers are valid.
    if (r.getResponse().getStatus() == 200) {
      assertThat(r.getResponse().getContentAsString()).startsWith("recording,kernel,model");
      return;
    }
    assertThat(r.getResponse().getStatus()).isEqualTo(202);
    assertThat(r.getResponse().getContentType()).startsWith("application/json");
    assertThat(r.getResponse().getHeader(HttpHeaders.LOCATION)).startsWith("/api/v1/jobs/");
    String job = r.getResponse().getHeader(HttpHeaders.LOCATION);
    finished(job);
    mvc.perform(get(job).accept("text/csv"))
        .andExpect(status().isOk())
        .andExpect(content().string(startsWith("recording,kernel,model,stage,measure")))
        .andExpect(content().string(containsString(BOOT + ",6.1.0-")));
  }

  @Test
  void preferRespondAsync_answers202AtOnce_andTheJobGivesTheComparison() throws Exception {
    MvcResult r =
        mvc.perform(
                post("/api/v1/experiments/kernel-comparison")
                    .contentType(MediaType.APPLICATION_JSON)
                    .header("Prefer", "wait=100, respond-async")
                    .content("{\"recording\":\"" + BOOT + "\"}"))
            .andExpect(status().isAccepted())
            .andExpect(header().string("Preference-Applied", "respond-async"))
            .andExpect(jsonPath("$.type").value("experiment:kernel-comparison"))
            .andExpect(jsonPath("$.parameters.recording").value(BOOT))
            .andReturn();
    String job = r.getResponse().getHeader(HttpHeaders.LOCATION);
    finished(job);
    mvc.perform(get(job))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.state").value("SUCCEEDED"))
        .andExpect(jsonPath("$.result.recording").value(BOOT))
        .andExpect(jsonPath("$.result.kernel").value(containsString("6.1.0")))
        .andExpect(jsonPath("$.result.stages[0].name").value("boot"))
        .andExpect(
            jsonPath("$.result.stages[0].measures[?(@.name=='managed DMA32')].kernel")
                .isNotEmpty());
  }

  @Test
  void aJobWithoutCsv_isAConflictNamingWhatHas() throws Exception {
    MvcResult r =
        mvc.perform(
                post("/api/v1/experiments/kernel-comparison")
                    .contentType(MediaType.APPLICATION_JSON)
                    .header("Prefer", "respond-async")
                    .content("{\"recording\":\"" + BOOT + "\"}"))
            .andExpect(status().isAccepted())
            .andReturn();
    String job = r.getResponse().getHeader(HttpHeaders.LOCATION);
    // Still running or just finished: a running job has no CSV yet, a finished one has.
    MvcResult csv = mvc.perform(get(job).accept("text/csv")).andReturn();
    int status = csv.getResponse().getStatus();
    assertThat(status).isIn(200, 409);
    if (status == 409) {
      assertThat(csv.getResponse().getContentAsString()).contains("kernel comparison");
    }
    finished(job);
  }

  private void finished(String job) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
    while (Instant.now().isBefore(deadline)) {
      String body = mvc.perform(get(job)).andReturn().getResponse().getContentAsString();
      String state = JsonPath.read(body, "$.state");
      if (!state.equals("QUEUED") && !state.equals("RUNNING")) {
        assertThat(state).as(body).isEqualTo("SUCCEEDED");
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError(job + " did not finish in 2 minutes");
  }
}
