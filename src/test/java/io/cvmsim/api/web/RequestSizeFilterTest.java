package io.cvmsim.api.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.cvmsim.config.CvmsimConfiguration;
import io.cvmsim.core.vm.VmRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;

@WebMvcTest
@Import(CvmsimConfiguration.class)
@TestPropertySource(properties = "cvmsim.limits.max-request-bytes=1KiB")
class RequestSizeFilterTest {

  @Autowired MockMvc mvc;
  @Autowired VmRegistry registry;

  @Test
  void bodyOverTheLimit_is413_beforeAnythingRuns() throws Exception {
    String body = "{\"memory\":\"1GiB\",\"name\":\"" + "a".repeat(1100) + "\"}";
    mvc.perform(post("/api/v1/vms").contentType(MediaType.APPLICATION_JSON).content(body))
        .andExpect(status().isContentTooLarge())
        .andExpect(jsonPath("$.type").value("https://cvmsim.io/problems/too-large"))
        .andExpect(
            jsonPath("$.detail")
                .value(org.hamcrest.Matchers.containsString("cvmsim.limits.max-request-bytes")));
    assertThat(registry.size()).isZero();
  }

  @Test
  void bodyWithinTheLimit_passes() throws Exception {
    mvc.perform(
            post("/api/v1/vms")
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"memory\":\"1GiB\",\"name\":\"small\"}"))
        .andExpect(status().isCreated());
    registry.delete("small");
  }
}
