package io.cvmsim.api.validation;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.matchesPattern;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.cvmsim.config.CvmsimConfiguration;
import io.cvmsim.corpus.CorpusConfiguration;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

@WebMvcTest
@Import({CvmsimConfiguration.class, CorpusConfiguration.class})
class KernelComparisonControllerTest {

  static final String BOOT = "linux-6.1-2g-boot";

  @Autowired MockMvc mvc;

  @Test
  void kernelRecordings_listsTheBundledOnes_withKernelSizePhasesAndEvents() throws Exception {
    mvc.perform(get("/api/v1/kernel-recordings"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.items.length()").value(greaterThan(1)))
        .andExpect(jsonPath("$.items[?(@.name=='" + BOOT + "')].model").value("6.1"))
        .andExpect(jsonPath("$.items[?(@.name=='" + BOOT + "')].memoryBytes").value(2L << 30))
        .andExpect(
            jsonPath("$.items[?(@.name=='linux-6.1-1g-workload')].phases[0].name")
                .value("fragmenter"))
        .andExpect(
            jsonPath("$.items[?(@.name=='linux-6.1-1g-workload')].events.mm_page_alloc")
                .isNotEmpty());
    mvc.perform(get("/api/v1/kernel-recordings/" + BOOT))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.kernel").value(containsString("6.1.0")));
    mvc.perform(get("/api/v1/kernel-recordings/nope"))
        .andExpect(status().isNotFound())
        .andExpect(jsonPath("$.detail").value(containsString(BOOT)));
  }

  @Test
  void aBundledBootRecording_comparesAtBoot_asJsonAndCsv() throws Exception {
    mvc.perform(
            post("/api/v1/experiments/kernel-comparison")
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"recording\":\"" + BOOT + "\"}"))
        .andExpect(status().isOk())
        .andExpect(header().string("Content-Location", matchesPattern("/api/v1/jobs/job-.+")))
        .andExpect(jsonPath("$.recording").value(BOOT))
        .andExpect(jsonPath("$.model").value("6.1"))
        .andExpect(jsonPath("$.stages.length()").value(1))
        .andExpect(jsonPath("$.stages[0].name").value("boot"))
        .andExpect(jsonPath("$.stages[0].measures[?(@.name=='managed DMA32')].kernel").isNotEmpty())
        .andExpect(jsonPath("$.stages[0].measures[0].distance").isNumber());
    mvc.perform(
            post("/api/v1/experiments/kernel-comparison")
                .contentType(MediaType.APPLICATION_JSON)
                .accept("text/csv")
                .content("{\"recording\":\"" + BOOT + "\"}"))
        .andExpect(status().isOk())
        .andExpect(content().string(containsString("recording,kernel,model,stage,measure")))
        .andExpect(content().string(containsString(BOOT + ",6.1.0-")));
  }

  @Test
  void anUnknownOrMissingRecording_isA4xxProblem() throws Exception {
    mvc.perform(
            post("/api/v1/experiments/kernel-comparison")
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"recording\":\"linux-9.9-1g-boot\"}"))
        .andExpect(status().isNotFound());
    mvc.perform(
            post("/api/v1/experiments/kernel-comparison")
                .contentType(MediaType.APPLICATION_JSON)
                .content("{}"))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.errors[0].field").value("recording"));
  }

  /** Zips a bundled recording's directory, as a user would upload it. */
  static byte[] zip(String name, List<String> files) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream z = new ZipOutputStream(out)) {
      for (String f : files) {
        try (InputStream in =
            KernelComparisonControllerTest.class.getResourceAsStream(
                "/kernel-recordings/" + name + "/" + f)) {
          if (in == null) {
            continue;
          }
          z.putNextEntry(new ZipEntry(name + "/" + f));
          in.transferTo(z);
          z.closeEntry();
        }
      }
    }
    return out.toByteArray();
  }

  static final List<String> BOOT_FILES =
      List.of(
          "recording.json",
          "boot/meminfo",
          "boot/zoneinfo",
          "boot/buddyinfo",
          "boot/pagetypeinfo",
          "boot/vmstat",
          "boot/iomem",
          "boot/extfrag_index",
          "boot/unusable_index",
          "boot/min_free_kbytes",
          "boot/watermark_scale_factor",
          "boot/lowmem_reserve_ratio",
          "boot/watermark_boost_factor",
          "boot/thp_enabled",
          "boot/dmesg");

  @Test
  void anUploadedRecording_comparesLikeABundledOne() throws Exception {
    mvc.perform(
            post("/api/v1/experiments/kernel-comparison")
                .contentType("application/zip")
                .content(zip(BOOT, BOOT_FILES)))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.recording").value(BOOT))
        .andExpect(jsonPath("$.stages[0].name").value("boot"));
  }

  @Test
  void aBrokenUpload_isA4xxProblemNamingWhatIsWrong() throws Exception {
    mvc.perform(
            post("/api/v1/experiments/kernel-comparison")
                .contentType("application/zip")
                .content("not a zip at all".getBytes()))
        .andExpect(status().is4xxClientError());
    mvc.perform(
            post("/api/v1/experiments/kernel-comparison")
                .contentType("application/zip")
                .content(zip(BOOT, List.of("recording.json", "boot/meminfo"))))
        .andExpect(status().isUnprocessableEntity())
        .andExpect(jsonPath("$.detail").value(containsString("boot/zoneinfo is missing")));
  }
}
