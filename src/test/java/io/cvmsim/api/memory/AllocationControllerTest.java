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
        .andExpect(jsonPath("$.failed").value(0))
        .andExpect(jsonPath("$.batch").isString());
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

  @Test
  void allocate_namesItsBatch_inEveryForm() throws Exception {
    TestVms.tdx(registry, "forms", 1);
    String blocks = allocate("forms", "{\"count\":2}");
    String pfns = allocate("forms", "{\"count\":2,\"result\":\"pfns\"}");
    String summary = allocate("forms", "{\"count\":2,\"result\":\"SUMMARY\"}");
    assertThat(json.readTree(blocks).get("batch").asString()).isEqualTo("1");
    assertThat(json.readTree(pfns).get("batch").asString()).isEqualTo("2");
    assertThat(json.readTree(summary).get("batch").asString()).isEqualTo("3");
  }

  @Test
  void allocate_pfns_answersTheHeadPfnsAndTheOrderOnce() throws Exception {
    TestVms.tdx(registry, "pfns", 1);
    mvc.perform(
            post("/api/v1/vms/pfns/allocations")
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"order\":1,\"count\":3,\"result\":\"pfns\"}"))
        .andExpect(status().isCreated())
        .andExpect(jsonPath("$.pfns.length()").value(3))
        .andExpect(jsonPath("$.pfns[0]").isNumber())
        .andExpect(jsonPath("$.order").value(1))
        .andExpect(jsonPath("$.failed").value(0))
        .andExpect(jsonPath("$.batch").isString())
        .andExpect(jsonPath("$.allocations").doesNotExist());
  }

  @Test
  void allocate_summary_countsTheBlocksPerZone() throws Exception {
    TestVms.tdx(registry, "summary", 1);
    mvc.perform(
            post("/api/v1/vms/summary/allocations")
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"order\":10,\"count\":100,\"gfp\":\"GFP_DMA\",\"result\":\"summary\"}"))
        .andExpect(status().isCreated())
        .andExpect(jsonPath("$.allocated").value(org.hamcrest.Matchers.greaterThan(0)))
        .andExpect(jsonPath("$.failed").value(org.hamcrest.Matchers.greaterThan(0)))
        .andExpect(jsonPath("$.zones.DMA").exists())
        .andExpect(jsonPath("$.zones.Normal").doesNotExist())
        .andExpect(jsonPath("$.pfns").doesNotExist());
    mvc.perform(
            post("/api/v1/vms/summary/allocations")
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"count\":7,\"result\":\"summary\"}"))
        .andExpect(jsonPath("$.allocated").value(7))
        .andExpect(jsonPath("$.zones.DMA32").value(7));
  }

  @Test
  void allocate_unknownResult_is400_andAllocatesNothing() throws Exception {
    GuestVm vm = TestVms.tdx(registry, "result", 1);
    String meminfo = ProcFormat.meminfo(vm.memory());
    mvc.perform(
            post("/api/v1/vms/result/allocations")
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"count\":1,\"result\":\"csv\"}"))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.errors[0].field").value("result"));
    assertThat(ProcFormat.meminfo(vm.memory())).isEqualTo(meminfo);
  }

  @Test
  void freeBatch_freesWhatIsLeftOfIt_thenForgetsIt() throws Exception {
    GuestVm vm = TestVms.tdx(registry, "by-batch", 1);
    String meminfo = ProcFormat.meminfo(vm.memory());
    JsonNode got = json.readTree(allocate("by-batch", "{\"count\":5,\"result\":\"pfns\"}"));
    String batch = got.get("batch").asString();
    mvc.perform(
            post("/api/v1/vms/by-batch/frees")
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"pfns\":[" + got.get("pfns").get(0).asLong() + "]}"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.freed").value(1));
    mvc.perform(
            post("/api/v1/vms/by-batch/frees")
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"batch\":\"" + batch + "\"}"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.freed").value(4));
    assertThat(ProcFormat.meminfo(vm.memory())).isEqualTo(meminfo);
    mvc.perform(
            post("/api/v1/vms/by-batch/frees")
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"batch\":\"" + batch + "\"}"))
        .andExpect(status().isNotFound())
        .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("batch")));
    vm.checkInvariants();
  }

  @Test
  void freeBatch_unknownMalformedOrWithPfns_isRefused_andFreesNothing() throws Exception {
    GuestVm vm = TestVms.tdx(registry, "bad-batch", 1);
    String batch = json.readTree(allocate("bad-batch", "{\"count\":3}")).get("batch").asString();
    String meminfo = ProcFormat.meminfo(vm.memory());
    String[][] cases = {
      {"{\"batch\":\"999\"}", "404", null},
      {"{\"batch\":\"b-1\"}", "400", "batch"},
      {"{\"batch\":\"\"}", "400", "batch"},
      {"{\"batch\":\"" + batch + "\",\"pfns\":[1]}", "400", "batch"},
      {"{}", "400", "pfns"},
    };
    for (String[] c : cases) {
      var result =
          mvc.perform(
                  post("/api/v1/vms/bad-batch/frees")
                      .contentType(MediaType.APPLICATION_JSON)
                      .content(c[0]))
              .andExpect(status().is(Integer.parseInt(c[1])));
      if (c[2] != null) {
        result.andExpect(jsonPath("$.errors[0].field").value(c[2]));
      }
      assertThat(ProcFormat.meminfo(vm.memory())).as(c[0]).isEqualTo(meminfo);
    }
  }

  private String allocate(String vm, String body) throws Exception {
    return mvc.perform(
            post("/api/v1/vms/" + vm + "/allocations")
                .contentType(MediaType.APPLICATION_JSON)
                .content(body))
        .andExpect(status().isCreated())
        .andReturn()
        .getResponse()
        .getContentAsString();
  }
}
