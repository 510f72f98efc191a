package io.cvmsim.api.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.cvmsim.api.TestVms;
import io.cvmsim.config.CvmsimConfiguration;
import io.cvmsim.core.stats.ProcFormat;
import io.cvmsim.core.vm.GuestVm;
import io.cvmsim.core.vm.VmRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@WebMvcTest(AllocationController.class)
@Import(CvmsimConfiguration.class)
@TestPropertySource(properties = "cvmsim.limits.max-batch=1000")
class AllocationControllerTest {

  @Autowired MockMvc mvc;
  @Autowired VmRegistry registry;
  @Autowired JsonMapper json;

  @AfterEach
  void deleteVms() {
    TestVms.deleteAll(registry);
  }

  @Test
  void allocate_answers201WithTheBlocks() throws Exception {
    TestVms.tdx(registry, "alloc", 4);
    mvc.perform(
            post("/api/v1/vms/alloc/allocations")
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"order\":3,\"count\":2,\"gfp\":\"GFP_HIGHUSER_MOVABLE\"}"))
        .andExpect(status().isCreated())
        .andExpect(jsonPath("$.allocations.length()").value(2))
        .andExpect(jsonPath("$.allocations[0].pfn").isNumber())
        .andExpect(jsonPath("$.allocations[0].order").value(3))
        .andExpect(jsonPath("$.allocations[0].zone").value("Normal"))
        .andExpect(jsonPath("$.allocations[0].migratetype").value("Movable"))
        .andExpect(jsonPath("$.failed").value(0));
  }

  @Test
  void allocate_defaultsToOneOrderZeroGfpKernelPage() throws Exception {
    TestVms.tdx(registry, "defaults", 1);
    mvc.perform(
            post("/api/v1/vms/defaults/allocations")
                .contentType(MediaType.APPLICATION_JSON)
                .content("{}"))
        .andExpect(status().isCreated())
        .andExpect(jsonPath("$.allocations.length()").value(1))
        .andExpect(jsonPath("$.allocations[0].order").value(0))
        .andExpect(jsonPath("$.allocations[0].migratetype").value("Unmovable"));
  }

  @Test
  void allocate_dma_whenZoneIsExhausted_countsFailures() throws Exception {
    TestVms.tdx(registry, "dma", 1);
    mvc.perform(
            post("/api/v1/vms/dma/allocations")
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"order\":10,\"count\":100,\"gfp\":\"gfp_dma\"}"))
        .andExpect(status().isCreated())
        .andExpect(jsonPath("$.failed").value(org.hamcrest.Matchers.greaterThan(0)))
        .andExpect(jsonPath("$.allocations[0].zone").value("DMA"));
  }

  @Test
  void free_freesAllOrNothing() throws Exception {
    GuestVm vm = TestVms.tdx(registry, "free", 1);
    String body =
        mvc.perform(
                post("/api/v1/vms/free/allocations")
                    .contentType(MediaType.APPLICATION_JSON)
                    .content("{\"count\":3}"))
            .andReturn()
            .getResponse()
            .getContentAsString();
    JsonNode allocs = json.readTree(body).get("allocations");
    long a = allocs.get(0).get("pfn").asLong();
    long b = allocs.get(1).get("pfn").asLong();
    String meminfo = ProcFormat.meminfo(vm.memory());
    mvc.perform(
            post("/api/v1/vms/free/frees")
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"pfns\":[" + a + "," + b + "," + b + "]}"))
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors[0].field").value("pfns[2]"));
    assertThat(ProcFormat.meminfo(vm.memory())).isEqualTo(meminfo);
    mvc.perform(
            post("/api/v1/vms/free/frees")
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"pfns\":[" + a + "," + b + "]}"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.freed").value(2));
    vm.checkInvariants();
  }

  @Test
  void overMaxBatch_is413_forCountAndForPfns() throws Exception {
    TestVms.tdx(registry, "batch", 1);
    mvc.perform(
            post("/api/v1/vms/batch/allocations")
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"count\":1001}"))
        .andExpect(status().isContentTooLarge())
        .andExpect(jsonPath("$.errors[0].field").value("count"));
    StringBuilder pfns = new StringBuilder("{\"pfns\":[0");
    for (int i = 1; i <= 1000; i++) {
      pfns.append(',').append(i);
    }
    mvc.perform(
            post("/api/v1/vms/batch/frees")
                .contentType(MediaType.APPLICATION_JSON)
                .content(pfns.append("]}").toString()))
        .andExpect(status().isContentTooLarge())
        .andExpect(jsonPath("$.errors[0].field").value("pfns"));
  }
}
