package io.cvmsim.api.accept;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.cvmsim.api.TestVms;
import io.cvmsim.config.CvmsimConfiguration;
import io.cvmsim.core.vm.BootStage;
import io.cvmsim.core.vm.GuestVm;
import io.cvmsim.core.vm.Platform;
import io.cvmsim.core.vm.VmRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

@WebMvcTest(AcceptController.class)
@Import(CvmsimConfiguration.class)
class AcceptControllerTest {

  @Autowired MockMvc mvc;
  @Autowired VmRegistry registry;

  @AfterEach
  void deleteVms() {
    TestVms.deleteAll(registry);
  }

  @Test
  void memoryMap_listsTheFirmwareDescriptors() throws Exception {
    GuestVm vm = TestVms.tdx(registry, "map", 4);
    int n = vm.memoryMap().descriptors().size();
    mvc.perform(get("/api/v1/vms/map/efi/memory-map"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.length()").value(n))
        .andExpect(jsonPath("$[0].type").value("CONVENTIONAL"))
        .andExpect(jsonPath("$[0].physStart").value(0))
        .andExpect(jsonPath("$[0].pages").value(160))
        .andExpect(jsonPath("$[?(@.type == 'UNACCEPTED')]").isNotEmpty());
  }

  @Test
  void unacceptedTable_present_hasTheKernelFields() throws Exception {
    TestVms.tdx(registry, "table", 4);
    mvc.perform(get("/api/v1/vms/table/efi/unaccepted-table"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.present").value(true))
        .andExpect(jsonPath("$.version").value(1))
        .andExpect(jsonPath("$.unitSize").value(2097152))
        .andExpect(jsonPath("$.physBase").isNumber())
        .andExpect(jsonPath("$.sizeBytes").isNumber())
        .andExpect(jsonPath("$.unacceptedUnits[0].length()").value(2))
        .andExpect(jsonPath("$.unacceptedBytes").isNumber());
  }

  @Test
  void unacceptedTable_absent_isPresentFalseAndNothingElse() throws Exception {
    TestVms.create(registry, "plain", Platform.NONE, 1, BootStage.KERNEL);
    mvc.perform(get("/api/v1/vms/plain/efi/unaccepted-table"))
        .andExpect(status().isOk())
        .andExpect(
            org.springframework.test.web.servlet.result.MockMvcResultMatchers.content()
                .json("{\"present\":false}", org.springframework.test.json.JsonCompareMode.STRICT));
  }

  @Test
  void accept_answersEachArchAcceptCall_andLowersUnacceptedBytes() throws Exception {
    GuestVm vm = TestVms.tdx(registry, "acc", 8);
    long before = vm.unacceptedTable().unacceptedBytes();
    mvc.perform(
            post("/api/v1/vms/acc/accept")
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"start\":\"0x180000000\",\"end\":\"0x180400000\"}"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.accepted[0].start").value(0x180000000L))
        .andExpect(jsonPath("$.accepted[0].end").isNumber())
        .andExpect(jsonPath("$.accepted[0].operations['1G']").isNumber())
        .andExpect(jsonPath("$.accepted[0].operations['2M']").isNumber())
        .andExpect(jsonPath("$.accepted[0].operations['4K']").isNumber())
        .andExpect(jsonPath("$.unacceptedBytes").isNumber());
    assertThat(vm.unacceptedTable().unacceptedBytes()).isLessThan(before);
    assertThat(vm.containsUnaccepted(0x180000000L, 0x180400000L)).isFalse();
  }

  @Test
  void unaccepted_answersRangeContainsUnacceptedMemory() throws Exception {
    TestVms.tdx(registry, "query", 8);
    mvc.perform(
            get("/api/v1/vms/query/unaccepted")
                .param("start", "0x1c0000000")
                .param("end", "8589934592"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.start").value(0x1c0000000L))
        .andExpect(jsonPath("$.end").value(8589934592L))
        .andExpect(jsonPath("$.containsUnaccepted").value(true));
    mvc.perform(get("/api/v1/vms/query/unaccepted").param("start", "0").param("end", "4096"))
        .andExpect(jsonPath("$.containsUnaccepted").value(false));
  }

  @Test
  void acceptLog_pagesBySeq_andReportsDropped() throws Exception {
    GuestVm vm = TestVms.tdx(registry, "log", 4);
    long total = vm.acceptLog(0, Integer.MAX_VALUE).size();
    mvc.perform(get("/api/v1/vms/log/accept-log"))
        .andExpect(status().isOk())
        .andExpect(header().string("X-Accept-Log-Dropped", "0"))
        .andExpect(jsonPath("$.length()").value(total))
        .andExpect(jsonPath("$[0].seq").value(1))
        .andExpect(jsonPath("$[0].phase").value("FIRMWARE"))
        .andExpect(jsonPath("$[0].trigger").value("FIRMWARE"))
        .andExpect(jsonPath("$[0].operations['2M']").isNumber())
        .andExpect(jsonPath("$[0].simulatedNanos").isNumber())
        .andExpect(jsonPath("$[?(@.phase == 'STUB')]").isNotEmpty());
    mvc.perform(get("/api/v1/vms/log/accept-log").param("after", "1").param("limit", "1"))
        .andExpect(jsonPath("$.length()").value(1))
        .andExpect(jsonPath("$[0].seq").value(2));
  }

  @Test
  void host_reportsBackingAndOperations() throws Exception {
    GuestVm vm = TestVms.tdx(registry, "host", 4);
    mvc.perform(get("/api/v1/vms/host/host"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.backedBytes").value(vm.host().backedBytes()))
        .andExpect(jsonPath("$.acceptOperations['2M']").value(vm.host().operations2m()))
        .andExpect(jsonPath("$.simulatedAcceptNanos").isNumber())
        .andExpect(jsonPath("$.acceptedBytesByTrigger.FIRMWARE").isNumber());
  }

  @Test
  void accept_whileStoppedAtFirmware_is409() throws Exception {
    TestVms.create(registry, "fw", Platform.TDX, 1, BootStage.FIRMWARE);
    mvc.perform(
            post("/api/v1/vms/fw/accept")
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"start\":0,\"end\":4096}"))
        .andExpect(status().isConflict())
        .andExpect(jsonPath("$.type").value("https://cvmsim.io/problems/conflict"));
  }
}
