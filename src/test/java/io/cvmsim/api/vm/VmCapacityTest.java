package io.cvmsim.api.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.cvmsim.api.TestVms;
import io.cvmsim.config.CvmsimConfiguration;
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

@WebMvcTest(VmController.class)
@Import(CvmsimConfiguration.class)
@TestPropertySource(
    properties = {
      "cvmsim.limits.max-vms=2",
      "cvmsim.limits.max-memory-per-vm=2GiB",
      "cvmsim.limits.max-total-memory=3GiB",
      "cvmsim.limits.max-bitmap-bytes=1KiB"
    })
class VmCapacityTest {

  @Autowired MockMvc mvc;
  @Autowired VmRegistry registry;

  @AfterEach
  void deleteVms() {
    TestVms.deleteAll(registry);
  }

  private ResultActions create(String body) throws Exception {
    return mvc.perform(post("/api/v1/vms").contentType(MediaType.APPLICATION_JSON).content(body));
  }

  @Test
  void overMaxMemoryPerVm_is413_andRegistersNothing() throws Exception {
    create("{\"name\":\"big\",\"memory\":\"3GiB\"}")
        .andExpect(status().isContentTooLarge())
        .andExpect(jsonPath("$.type").value("https://cvmsim.io/problems/too-large"))
        .andExpect(jsonPath("$.errors[0].field").value("memory"));
    assertThat(registry.size()).isZero();
    create("{\"name\":\"big\",\"memory\":\"1GiB\"}").andExpect(status().isCreated());
  }

  @Test
  void overMaxTotalMemory_is503WithRetryAfter() throws Exception {
    create("{\"memory\":\"2GiB\"}").andExpect(status().isCreated());
    create("{\"name\":\"second\",\"memory\":\"2GiB\"}")
        .andExpect(status().isServiceUnavailable())
        .andExpect(header().string("Retry-After", "5"))
        .andExpect(jsonPath("$.type").value("https://cvmsim.io/problems/at-capacity"));
    assertThat(registry.size()).isEqualTo(1);
    create("{\"name\":\"second\",\"memory\":\"1GiB\"}").andExpect(status().isCreated());
  }

  @Test
  void overMaxVms_is503WithRetryAfter() throws Exception {
    create("{\"memory\":\"1GiB\"}").andExpect(status().isCreated());
    create("{\"memory\":\"1GiB\"}").andExpect(status().isCreated());
    create("{\"memory\":\"64MiB\"}")
        .andExpect(status().isServiceUnavailable())
        .andExpect(header().exists("Retry-After"));
    assertThat(registry.size()).isEqualTo(2);
  }

  @Test
  void overMaxBitmapBytes_is413() throws Exception {
    create(
            """
            {"name":"sparse","efiMemoryMap":[
              {"type":"CONVENTIONAL","physStart":0,"pages":131072},
              {"type":"UNACCEPTED","physStart":"0x20000000","pages":131072},
              {"type":"UNACCEPTED","physStart":"0x10000000000","pages":1024}]}
            """)
        .andExpect(status().isContentTooLarge())
        .andExpect(jsonPath("$.errors[0].field").value("efiMemoryMap"));
    assertThat(registry.size()).isZero();
  }
}
