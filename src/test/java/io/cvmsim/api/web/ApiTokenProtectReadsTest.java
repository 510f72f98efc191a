package io.cvmsim.api.web;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.web.servlet.MockMvc;

/** With protect-reads, reads on /api/** need the token too; health, metrics and docs never do. */
@SpringBootTest(
    properties = {"cvmsim.security.api-token=read-guard", "cvmsim.security.protect-reads=true"})
@AutoConfigureMockMvc
class ApiTokenProtectReadsTest {

  @Autowired MockMvc mvc;

  @Test
  void apiReads_needTheToken() throws Exception {
    mvc.perform(get("/api/v1/vms")).andExpect(status().isUnauthorized());
    mvc.perform(get("/api/v1/jobs")).andExpect(status().isUnauthorized());
    mvc.perform(get("/api/v1/vms").header("Authorization", "Bearer read-guard"))
        .andExpect(status().isOk());
  }

  @Test
  void healthMetricsAndDocs_stayOpen() throws Exception {
    for (String path :
        new String[] {
          "/livez", "/readyz", "/actuator/health", "/actuator/prometheus", "/v3/api-docs"
        }) {
      mvc.perform(get(path)).andExpect(status().isOk());
    }
  }
}
