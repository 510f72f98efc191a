package io.cvmsim.api.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
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
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

@WebMvcTest
@Import(CvmsimConfiguration.class)
@TestPropertySource(properties = "cvmsim.security.api-token=s3cret-token")
class ApiTokenFilterTest {

  @Autowired MockMvc mvc;
  @Autowired VmRegistry registry;

  @AfterEach
  void deleteVms() {
    TestVms.deleteAll(registry);
  }

  private static MockHttpServletRequestBuilder createVm() {
    return post("/api/v1/vms")
        .contentType(MediaType.APPLICATION_JSON)
        .content("{\"memory\":\"1GiB\",\"name\":\"guarded\"}");
  }

  @Test
  void mutatingRequest_withoutToken_is401WithWwwAuthenticate_andChangesNothing() throws Exception {
    mvc.perform(createVm())
        .andExpect(status().isUnauthorized())
        .andExpect(header().string("WWW-Authenticate", "Bearer realm=\"cvmsim\""))
        .andExpect(content().contentType("application/problem+json"))
        .andExpect(jsonPath("$.type").value("https://cvmsim.io/problems/unauthorized"))
        .andExpect(jsonPath("$.status").value(401))
        .andExpect(jsonPath("$.instance").value("/api/v1/vms"))
        .andExpect(jsonPath("$.requestId").isString());
    assertThat(registry.size()).isZero();
  }

  @Test
  void mutatingRequest_withWrongToken_is401() throws Exception {
    mvc.perform(createVm().header("Authorization", "Bearer s3cret-tokem"))
        .andExpect(status().isUnauthorized())
        .andExpect(jsonPath("$.detail").value("the API token is wrong"));
    mvc.perform(createVm().header("Authorization", "Basic czNjcmV0LXRva2Vu"))
        .andExpect(status().isUnauthorized());
    mvc.perform(createVm().header("Authorization", "Bearer s3cret-token-and-more"))
        .andExpect(status().isUnauthorized());
    assertThat(registry.size()).isZero();
  }

  @Test
  void mutatingRequest_withToken_passes() throws Exception {
    mvc.perform(createVm().header("Authorization", "Bearer s3cret-token"))
        .andExpect(status().isCreated());
    mvc.perform(delete("/api/v1/vms/guarded")).andExpect(status().isUnauthorized());
    assertThat(registry.size()).isEqualTo(1);
    mvc.perform(delete("/api/v1/vms/guarded").header("Authorization", "bearer s3cret-token"))
        .andExpect(status().isNoContent());
  }

  @Test
  void reads_stayOpen() throws Exception {
    TestVms.tdx(registry, "open", 1);
    mvc.perform(get("/api/v1/vms")).andExpect(status().isOk());
    mvc.perform(get("/api/v1/vms/open/meminfo").accept(MediaType.TEXT_PLAIN))
        .andExpect(status().isOk());
  }
}
