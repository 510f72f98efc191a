package io.cvmsim.api.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.cvmsim.api.TestVms;
import io.cvmsim.config.CvmsimConfiguration;
import io.cvmsim.core.memory.Gfp;
import io.cvmsim.core.stats.MemorySnapshot;
import io.cvmsim.core.stats.ProcFormat;
import io.cvmsim.core.vm.BootStage;
import io.cvmsim.core.vm.GuestVm;
import io.cvmsim.core.vm.Platform;
import io.cvmsim.core.vm.VmRegistry;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

@WebMvcTest(MemoryViewController.class)
@Import(CvmsimConfiguration.class)
class MemoryViewControllerTest {

  @Autowired MockMvc mvc;
  @Autowired VmRegistry registry;
  GuestVm vm;

  @BeforeEach
  void createVm() {
    vm = TestVms.tdx(registry, "views", 4);
    vm.allocate(Gfp.GFP_HIGHUSER_MOVABLE, 0, 5000);
    vm.allocate(Gfp.GFP_KERNEL, 2, 100);
  }

  @AfterEach
  void deleteVms() {
    TestVms.deleteAll(registry);
  }

  @Test
  void textPlain_servesEachViewAsTheCoreRendersIt() throws Exception {
    MemorySnapshot s = vm.memory();
    Map<String, Function<MemorySnapshot, String>> views =
        Map.of(
            "meminfo", ProcFormat::meminfo,
            "vmstat", ProcFormat::vmstat,
            "buddyinfo", ProcFormat::buddyinfo,
            "pagetypeinfo", ProcFormat::pagetypeinfo,
            "zoneinfo", ProcFormat::zoneinfo,
            "extfrag", ProcFormat::extfragIndex);
    for (var e : views.entrySet()) {
      String body =
          mvc.perform(get("/api/v1/vms/views/" + e.getKey()).accept(MediaType.TEXT_PLAIN))
              .andExpect(status().isOk())
              .andExpect(content().contentTypeCompatibleWith(MediaType.TEXT_PLAIN))
              .andReturn()
              .getResponse()
              .getContentAsString();
      assertThat(body).as(e.getKey()).isEqualTo(e.getValue().apply(s));
    }
    mvc.perform(
            get("/api/v1/vms/views/extfrag")
                .param("file", "unusable_index")
                .accept(MediaType.TEXT_PLAIN))
        .andExpect(content().string(ProcFormat.unusableIndex(s)));
    assertThat(ProcFormat.meminfo(s)).contains("Unaccepted:");
  }

  @Test
  void jsonIsTheDefault() throws Exception {
    mvc.perform(get("/api/v1/vms/views/meminfo"))
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON));
    mvc.perform(get("/api/v1/vms/views/meminfo").accept(MediaType.ALL))
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON));
  }

  @Test
  void meminfoJson_hasKilobyteFieldsAndBytes() throws Exception {
    MemorySnapshot s = vm.memory();
    mvc.perform(get("/api/v1/vms/views/meminfo").accept(MediaType.APPLICATION_JSON))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.fields.MemTotal").value(s.totalPages() * 4))
        .andExpect(jsonPath("$.fields.Unaccepted").value(s.unacceptedPages() * 4))
        .andExpect(jsonPath("$.totalBytes").value(s.totalPages() * 4096))
        .andExpect(jsonPath("$.unacceptedBytes").value(s.unacceptedPages() * 4096))
        .andExpect(jsonPath("$.availableBytes").isNumber());
  }

  @Test
  void vmstatBuddyinfoPagetypeinfoJson_haveTheirShapes() throws Exception {
    mvc.perform(get("/api/v1/vms/views/vmstat"))
        .andExpect(jsonPath("$.fields.nr_unaccepted").isNumber())
        .andExpect(jsonPath("$.fields.pgfree").isNumber());
    mvc.perform(get("/api/v1/vms/views/buddyinfo"))
        .andExpect(jsonPath("$.zones[0].zone").value("DMA"))
        .andExpect(jsonPath("$.zones[0].node").value(0))
        .andExpect(jsonPath("$.zones[0].freeBlocks.length()").value(11));
    mvc.perform(get("/api/v1/vms/views/pagetypeinfo"))
        .andExpect(jsonPath("$.pageblockOrder").value(9))
        .andExpect(jsonPath("$.zones[2].zone").value("Normal"))
        .andExpect(jsonPath("$.zones[2].freeBlocks.Movable.length()").value(11))
        .andExpect(jsonPath("$.zones[2].pageblocks.Unmovable").isNumber());
  }

  @Test
  void zoneinfoJson_hasWatermarksAndCounters() throws Exception {
    mvc.perform(get("/api/v1/vms/views/zoneinfo"))
        .andExpect(jsonPath("$.zones.length()").value(5))
        .andExpect(jsonPath("$.zones[2].zone").value("Normal"))
        .andExpect(jsonPath("$.zones[2].populated").value(true))
        .andExpect(jsonPath("$.zones[2].watermarks.min").isNumber())
        .andExpect(jsonPath("$.zones[2].watermarks.low").isNumber())
        .andExpect(jsonPath("$.zones[2].watermarks.high").isNumber())
        .andExpect(jsonPath("$.zones[2].watermarks.promo").isNumber())
        .andExpect(jsonPath("$.zones[2].spannedPages").isNumber())
        .andExpect(jsonPath("$.zones[2].presentPages").isNumber())
        .andExpect(jsonPath("$.zones[2].managedPages").isNumber())
        .andExpect(jsonPath("$.zones[2].protection.length()").value(5))
        .andExpect(jsonPath("$.zones[2].freePages").isNumber())
        .andExpect(jsonPath("$.zones[2].unacceptedPages").isNumber())
        .andExpect(jsonPath("$.zones[2].stats.nr_unaccepted").isNumber())
        .andExpect(jsonPath("$.zones[3].populated").value(false));
  }

  @Test
  void extfragJson_hasRatiosAndThousandths() throws Exception {
    mvc.perform(get("/api/v1/vms/views/extfrag"))
        .andExpect(jsonPath("$.zones[0].extfragIndex.length()").value(11))
        .andExpect(jsonPath("$.zones[0].extfragIndex[0]").value(-1.0))
        .andExpect(jsonPath("$.zones[0].extfragIndexThousandths[0]").value(-1000))
        .andExpect(jsonPath("$.zones[0].unusableIndex.length()").value(11))
        .andExpect(jsonPath("$.zones[0].unusableIndexThousandths.length()").value(11));
    mvc.perform(get("/api/v1/vms/views/extfrag").param("file", "nope").accept(MediaType.TEXT_PLAIN))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.errors[0].field").value("file"));
  }

  @Test
  void views_beforeTheKernelRuns_are409_evenAsText() throws Exception {
    TestVms.create(registry, "stub", Platform.TDX, 1, BootStage.EFI_STUB);
    mvc.perform(get("/api/v1/vms/stub/meminfo")).andExpect(status().isConflict());
    mvc.perform(get("/api/v1/vms/stub/zoneinfo").accept(MediaType.TEXT_PLAIN))
        .andExpect(status().isConflict())
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
  }

  @Test
  void views_unsupportedAccept_is406() throws Exception {
    mvc.perform(get("/api/v1/vms/views/meminfo").accept(MediaType.APPLICATION_XML))
        .andExpect(status().isNotAcceptable());
  }

  @Test
  void aViewRenderedOnce_isRenderedAgain_whenTheGuestsMemoryChanges() throws Exception {
    for (MediaType type : java.util.List.of(MediaType.TEXT_PLAIN, MediaType.APPLICATION_JSON)) {
      String before = body("meminfo", type);
      assertThat(body("meminfo", type)).as("%s unchanged", type).isEqualTo(before);
      vm.allocate(Gfp.GFP_HIGHUSER_MOVABLE, 0, 1000);
      String after = body("meminfo", type);
      assertThat(after).as("%s after an allocation", type).isNotEqualTo(before);
      if (type.equals(MediaType.TEXT_PLAIN)) {
        assertThat(after).isEqualTo(ProcFormat.meminfo(vm.memory()));
      }
    }
    mvc.perform(get("/api/v1/vms/views/meminfo").accept(MediaType.TEXT_PLAIN))
        .andExpect(content().contentType("text/plain;charset=UTF-8"));
  }

  @Test
  void aDeletedGuestsViews_are404_andAGuestOfTheSameNameGetsItsOwn() throws Exception {
    String before = body("zoneinfo", MediaType.TEXT_PLAIN);
    registry.delete(vm.id());
    mvc.perform(get("/api/v1/vms/views/zoneinfo")).andExpect(status().isNotFound());
    GuestVm again = TestVms.tdx(registry, "views", 1);
    assertThat(body("zoneinfo", MediaType.TEXT_PLAIN))
        .isEqualTo(ProcFormat.zoneinfo(again.memory()))
        .isNotEqualTo(before);
  }

  private String body(String view, MediaType type) throws Exception {
    return mvc.perform(get("/api/v1/vms/views/" + view).accept(type))
        .andExpect(status().isOk())
        .andReturn()
        .getResponse()
        .getContentAsString();
  }
}
