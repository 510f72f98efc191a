package io.cvmsim.api.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.startsWith;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
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

@WebMvcTest(VmController.class)
@Import(CvmsimConfiguration.class)
class VmControllerTest {

  @Autowired MockMvc mvc;
  @Autowired VmRegistry registry;

  @AfterEach
  void deleteVms() {
    TestVms.deleteAll(registry);
  }

  @Test
  void create_withSizeString_answers201WithLocationAndSummary() throws Exception {
    mvc.perform(
            post("/api/v1/vms")
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"name\":\"tdx-2g\",\"memory\":\"2GiB\",\"vcpus\":2}"))
        .andExpect(status().isCreated())
        .andExpect(header().string("Location", startsWith("/api/v1/vms/vm-")))
        .andExpect(jsonPath("$.name").value("tdx-2g"))
        .andExpect(jsonPath("$.platform").value("TDX"))
        .andExpect(jsonPath("$.kernel").value("6.5"))
        .andExpect(jsonPath("$.acceptPolicy").value("LAZY"))
        .andExpect(jsonPath("$.memoryBytes").value(2L << 30))
        .andExpect(jsonPath("$.vcpus").value(2))
        .andExpect(jsonPath("$.stage").value("KERNEL"))
        .andExpect(jsonPath("$.createdAt").isString())
        .andExpect(jsonPath("$.memory.totalBytes").isNumber())
        .andExpect(jsonPath("$.memory.freeBytes").isNumber())
        .andExpect(jsonPath("$.memory.unacceptedBytes").isNumber())
        .andExpect(jsonPath("$.memory.hostBackedBytes").isNumber());
    assertThat(registry.get("tdx-2g").spec().vcpus()).isEqualTo(2);
  }

  @Test
  void create_withEnumsInAnyCaseAndExtensions_appliesThem() throws Exception {
    mvc.perform(
            post("/api/v1/vms")
                .contentType(MediaType.APPLICATION_JSON)
                .content(
                    """
                    {"name":"snp","platform":"sev-snp","memory":1073741824,"acceptPolicy":"eager",
                     "kernel":"MAINLINE","bootTo":"efi_stub","hostPageSize":"4k",
                     "khugepaged":true,"firmwareAcceptedBytes":"0x10000000"}
                    """))
        .andExpect(status().isCreated())
        .andExpect(jsonPath("$.platform").value("SNP"))
        .andExpect(jsonPath("$.kernel").value("mainline"))
        .andExpect(jsonPath("$.acceptPolicy").value("EAGER"))
        .andExpect(jsonPath("$.stage").value("EFI_STUB"));
    GuestVm vm = registry.get("snp");
    assertThat(vm.spec().khugepaged()).isTrue();
    assertThat(vm.spec().firmwareAcceptedBytes()).isEqualTo(0x10000000L);
    assertThat(vm.spec().hostPageSize().label()).isEqualTo("4K");
  }

  /**
   * THP is on unless a request says otherwise, as distribution kernels ship it: khugepaged's
   * set_recommended_min_free_kbytes() (mm/khugepaged.c) asks for 2 free pageblocks per populated
   * zone plus 3 x 3 for the fallbacks, (2 + 9) x 512 pages x 2 zones = 45,056 kB on a 1 GiB guest
   * (under its 5 % cap of ~48,000 kB), where init_per_zone_wmark_min()'s sqrt(16 x lowmem kB) gives
   * ~3,900 kB; the recorded 1 GiB Debian guests show the same 45,056. The host backs TDX private
   * memory at 4 KiB unless a request says otherwise, as upstream KVM does.
   */
  @Test
  void create_byDefault_runsKhugepaged_andBacksPrivateMemoryAt4K() throws Exception {
    mvc.perform(
            post("/api/v1/vms")
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"name\":\"thp\",\"memory\":\"1GiB\",\"acceptPolicy\":\"eager\"}"))
        .andExpect(status().isCreated());
    GuestVm vm = registry.get("thp");
    assertThat(vm.spec().khugepaged()).isTrue();
    assertThat(vm.memory().minFreeKbytes()).isEqualTo(45_056);
    mvc.perform(
            post("/api/v1/vms")
                .contentType(MediaType.APPLICATION_JSON)
                .content(
                    "{\"name\":\"nothp\",\"memory\":\"1GiB\",\"acceptPolicy\":\"eager\","
                        + "\"khugepaged\":false}"))
        .andExpect(status().isCreated());
    assertThat(registry.get("nothp").memory().minFreeKbytes()).isBetween(3_500L, 4_100L);
    assertThat(vm.host().operations1g()).isZero();
    assertThat(vm.host().operations2m()).isZero();
    assertThat(vm.host().failedOperations2m()).isPositive();
  }

  @Test
  void create_withExplicitMap_acceptsTypeNamesNumbersAndHexAddresses() throws Exception {
    mvc.perform(
            post("/api/v1/vms")
                .contentType(MediaType.APPLICATION_JSON)
                .content(
                    """
                    {"name":"explicit","efiMemoryMap":[
                      {"type":"CONVENTIONAL","physStart":0,"pages":160},
                      {"type":7,"physStart":"0x100000","pages":130816},
                      {"type":"unaccepted","physStart":"0x20000000","pages":262144}]}
                    """))
        .andExpect(status().isCreated())
        .andExpect(jsonPath("$.memoryBytes").value(160L * 4096 + 130816L * 4096 + (1L << 30)));
  }

  @Test
  void list_pagesOldestFirst() throws Exception {
    for (String n : new String[] {"a1", "a2", "a3"}) {
      TestVms.tdx(registry, n, 1);
    }
    mvc.perform(get("/api/v1/vms").param("page", "1").param("size", "2"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.items.length()").value(1))
        .andExpect(jsonPath("$.items[0].name").value("a3"))
        .andExpect(jsonPath("$.page").value(1))
        .andExpect(jsonPath("$.size").value(2))
        .andExpect(jsonPath("$.total").value(3));
    mvc.perform(get("/api/v1/vms").param("size", "0"))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.errors[0].field").value("size"));
  }

  @Test
  void get_acceptsIdOrName_andDeleteMakesIt404() throws Exception {
    GuestVm vm = TestVms.tdx(registry, "gone", 1);
    mvc.perform(get("/api/v1/vms/gone")).andExpect(jsonPath("$.id").value(vm.id()));
    mvc.perform(get("/api/v1/vms/" + vm.id())).andExpect(jsonPath("$.name").value("gone"));
    mvc.perform(delete("/api/v1/vms/gone")).andExpect(status().isNoContent());
    mvc.perform(get("/api/v1/vms/" + vm.id()))
        .andExpect(status().isNotFound())
        .andExpect(jsonPath("$.type").value("https://cvmsim.io/problems/not-found"));
    mvc.perform(delete("/api/v1/vms/gone")).andExpect(status().isNotFound());
  }

  @Test
  void boot_continuesAStoppedBootToKernel() throws Exception {
    TestVms.create(registry, "stopped", Platform.TDX, 1, BootStage.FIRMWARE);
    mvc.perform(get("/api/v1/vms/stopped/boot"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.stage").value("FIRMWARE"))
        .andExpect(jsonPath("$.bootToUserspaceSeconds").doesNotExist());
    mvc.perform(post("/api/v1/vms/stopped/boot"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.stage").value("KERNEL"))
        .andExpect(jsonPath("$.phases[0].name").value("firmware"))
        .andExpect(jsonPath("$.phases[0].seconds").isNumber())
        .andExpect(jsonPath("$.phases[0].acceptedBytes").isNumber())
        .andExpect(jsonPath("$.totalSeconds").isNumber())
        .andExpect(jsonPath("$.bootToUserspaceSeconds").isNumber());
    assertThat(registry.get("stopped").stage()).isEqualTo(BootStage.KERNEL);
  }
}
