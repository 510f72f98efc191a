package io.cvmsim.api.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.cvmsim.config.CvmsimConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.MDC;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.web.servlet.MockMvc;

@WebMvcTest
@Import(CvmsimConfiguration.class)
@ExtendWith(OutputCaptureExtension.class)
class RequestIdFilterTest {

  @Autowired MockMvc mvc;

  @Test
  void validIncomingId_isEchoed_putInProblems_andLogged(CapturedOutput output) throws Exception {
    mvc.perform(get("/api/v1/vms/nope").header("X-Request-Id", "trace-42.a_b"))
        .andExpect(status().isNotFound())
        .andExpect(header().string("X-Request-Id", "trace-42.a_b"))
        .andExpect(jsonPath("$.requestId").value("trace-42.a_b"));
    assertThat(output)
        .contains("[trace-42.a_b]")
        .containsPattern(
            "io\\.cvmsim\\.access\\s+: GET /api/v1/vms/nope 404 \\d+ms id=trace-42.a_b");
    assertThat(MDC.get("requestId")).isNull();
  }

  @Test
  void invalidOrMissingId_isReplacedByAGeneratedOne() throws Exception {
    for (String bad : new String[] {"has space", "x".repeat(129), "semi;colon", ""}) {
      String id =
          mvc.perform(get("/api/v1/vms").header("X-Request-Id", bad))
              .andExpect(status().isOk())
              .andReturn()
              .getResponse()
              .getHeader("X-Request-Id");
      assertThat(id).isNotEqualTo(bad).matches("[0-9a-f]{16}");
    }
    String generated =
        mvc.perform(get("/api/v1/vms")).andReturn().getResponse().getHeader("X-Request-Id");
    assertThat(generated).matches("[0-9a-f]{16}");
    mvc.perform(get("/api/v1/vms").header("X-Request-Id", "y".repeat(128)))
        .andExpect(header().string("X-Request-Id", "y".repeat(128)));
  }
}
