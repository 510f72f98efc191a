package io.cvmsim.api.memorymap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.cvmsim.api.TestVms;
import io.cvmsim.config.CvmsimConfiguration;
import io.cvmsim.core.memory.Gfp;
import io.cvmsim.core.memory.Sizes;
import io.cvmsim.core.stats.MapState;
import io.cvmsim.core.vm.BootStage;
import io.cvmsim.core.vm.GuestVm;
import io.cvmsim.core.vm.Platform;
import io.cvmsim.core.vm.VmRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@WebMvcTest(MemoryMapController.class)
@Import(CvmsimConfiguration.class)
class MemoryMapControllerTest {

  static final String MAP = "/api/v1/vms/map/memory-map";
  static final MediaType SVG = MediaType.valueOf("image/svg+xml");

  @Autowired MockMvc mvc;
  @Autowired VmRegistry registry;
  final JsonMapper json = JsonMapper.builder().build();
  GuestVm vm;

  @BeforeEach
  void createVm() {
    vm = TestVms.tdx(registry, "map", 4);
    vm.allocate(Gfp.GFP_HIGHUSER_MOVABLE, 0, 5000);
    vm.allocate(Gfp.GFP_KERNEL, 2, 100);
  }

  @AfterEach
  void deleteVms() {
    TestVms.deleteAll(registry);
  }

  @Test
  void defaults_coverTheWholeMemoryMapIn256Buckets() throws Exception {
    long end = vm.memoryMap().end();
    JsonNode body = getJson(MAP);
    assertThat(body.get("from").asLong()).isZero();
    assertThat(body.get("to").asLong()).isEqualTo(end);
    assertThat(body.get("buckets")).hasSize(MemoryMapController.DEFAULT_BUCKETS);
    assertThat(body.get("bucketBytes").asLong()).isEqualTo((end + 255) / 256);
    long sum = 0;
    for (JsonNode v : body.get("totals")) {
      sum += v.asLong();
    }
    assertThat(sum).isEqualTo(end);
    assertThat(body.get("totals").propertyNames()).hasSize(MapState.values().length);
    assertThat(body.get("totals").get("unaccepted").asLong())
        .isEqualTo(vm.summary().memory().bitmapUnacceptedBytes());
    assertThat(body.get("totals").get("movable").asLong()).isEqualTo(5000 * Sizes.PAGE_SIZE);
    assertThat(body.get("totals").get("unmovable").asLong())
        .isGreaterThanOrEqualTo(100 * 4 * Sizes.PAGE_SIZE);
  }

  @Test
  void statesCarryTheOkabeItoColoursAndDescriptions_inMapStateOrder() throws Exception {
    JsonNode states = getJson(MAP + "?buckets=1").get("states");
    MapState[] all = MapState.values();
    assertThat(states).hasSize(all.length);
    for (int i = 0; i < all.length; i++) {
      assertThat(states.get(i).get("name").asString()).isEqualTo(all[i].label());
      assertThat(states.get(i).get("color").asString()).isEqualTo(all[i].color());
      assertThat(states.get(i).get("description").asString()).isEqualTo(all[i].description());
    }
  }

  @Test
  void bucketBytes_leaveOutZeroStates_andAddUpToTheBucket() throws Exception {
    JsonNode buckets = getJson(MAP + "?buckets=64").get("buckets");
    assertThat(buckets).hasSize(64);
    long expectedStart = 0;
    for (JsonNode b : buckets) {
      assertThat(b.get("start").asLong()).isEqualTo(expectedStart);
      long sum = 0;
      for (var e : b.get("bytes").properties()) {
        assertThat(e.getValue().asLong()).as(e.getKey()).isPositive();
        sum += e.getValue().asLong();
      }
      assertThat(sum).isEqualTo(b.get("end").asLong() - b.get("start").asLong());
      assertThat(b.get("bytes").has(b.get("dominant").asString())).isTrue();
      expectedStart = b.get("end").asLong();
    }
    assertThat(expectedStart).isEqualTo(vm.memoryMap().end());
  }

  @Test
  void fromAndTo_acceptIntegersHexAndSizes() throws Exception {
    JsonNode hex = getJson(MAP + "?from=0x100000&to=0x40000000&buckets=16");
    JsonNode size = getJson(MAP + "?from=1MiB&to=1GiB&buckets=16");
    JsonNode dec = getJson(MAP + "?from=1048576&to=1073741824&buckets=16");
    for (JsonNode body : new JsonNode[] {hex, size, dec}) {
      assertThat(body.get("from").asLong()).isEqualTo(Sizes.MIB);
      assertThat(body.get("to").asLong()).isEqualTo(Sizes.GIB);
      assertThat(body.get("buckets")).hasSize(16);
    }
    assertThat(size).isEqualTo(hex);
    assertThat(dec).isEqualTo(hex);
  }

  @Test
  void badParameters_are400ProblemsNamingTheField() throws Exception {
    expectProblem(MAP + "?buckets=" + (GuestVm.MAX_MAP_BUCKETS + 1), 400, "buckets");
    expectProblem(MAP + "?buckets=0", 400, "buckets");
    expectProblem(MAP + "?buckets=many", 400, "buckets");
    expectProblem(MAP + "?from=4GiB&to=1GiB", 400, "to");
    expectProblem(MAP + "?from=12XiB", 400, "from");
    expectProblem(MAP + "?to=0x", 400, "to");
    expectProblem(MAP + ".svg?buckets=" + (GuestVm.MAX_MAP_BUCKETS + 1), 400, "buckets");
    mvc.perform(get("/api/v1/vms/nope/memory-map"))
        .andExpect(status().isNotFound())
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
  }

  @Test
  void maxBuckets_isAllowed_andBucketsMayBeSmallerThanAPage() throws Exception {
    JsonNode body = getJson(MAP + "?from=0&to=64MiB&buckets=" + GuestVm.MAX_MAP_BUCKETS);
    assertThat(body.get("buckets")).hasSize(GuestVm.MAX_MAP_BUCKETS);
    assertThat(body.get("bucketBytes").asLong()).isEqualTo(Sizes.KIB);
  }

  @Test
  void svg_isTheCorePictureOfTheSameView() throws Exception {
    String svg =
        mvc.perform(get(MAP + ".svg?buckets=32").accept(SVG))
            .andExpect(status().isOk())
            .andExpect(content().contentTypeCompatibleWith(SVG))
            .andReturn()
            .getResponse()
            .getContentAsString();
    assertThat(svg)
        .startsWith("<svg")
        .contains("role=\"img\"")
        .contains("<title id=\"t\">map: TDX");
    assertThat(svg).contains(MapState.UNACCEPTED.color()).contains("unaccepted");
  }

  /**
   * A 1 TiB lazy guest: the view costs what its structures cost, not its size, so even the largest
   * bucket count gives a complete answer of bounded size.
   */
  @Test
  void aTerabyteLazyGuest_answersCompleteMapsOfBoundedSize() throws Exception {
    TestVms.create(registry, "tera", Platform.TDX, 1024, BootStage.KERNEL);
    String path = "/api/v1/vms/tera/memory-map";
    String small = body(path);
    JsonNode view = json.readTree(small);
    assertThat(view.get("buckets")).hasSize(256);
    assertThat(view.get("to").asLong()).isGreaterThan(Sizes.TIB);
    assertThat(view.get("totals").get("unaccepted").asLong()).isGreaterThan(Sizes.TIB * 9 / 10);
    assertThat(small.length()).isLessThan(64 * 1024);

    String large = body(path + "?buckets=" + GuestVm.MAX_MAP_BUCKETS);
    JsonNode full = json.readTree(large);
    assertThat(full.get("buckets")).hasSize(GuestVm.MAX_MAP_BUCKETS);
    long unacceptedBuckets = 0;
    for (JsonNode b : full.get("buckets")) {
      if (b.get("dominant").asString().equals("unaccepted")) {
        unacceptedBuckets++;
      }
    }
    assertThat(unacceptedBuckets).isGreaterThan(GuestVm.MAX_MAP_BUCKETS * 9L / 10);
    // about 100 bytes per bucket: one or two states each
    assertThat(large.length()).isLessThan(GuestVm.MAX_MAP_BUCKETS * 160);
  }

  private String body(String path) throws Exception {
    return mvc.perform(get(path))
        .andExpect(status().isOk())
        .andReturn()
        .getResponse()
        .getContentAsString();
  }

  private JsonNode getJson(String path) throws Exception {
    return json.readTree(body(path));
  }

  private void expectProblem(String path, int status, String field) throws Exception {
    mvc.perform(get(path))
        .andExpect(status().is(status))
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
        .andExpect(jsonPath("$.detail").isNotEmpty())
        .andExpect(jsonPath("$.errors[0].field").value(field));
  }
}
