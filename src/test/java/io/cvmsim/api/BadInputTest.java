package io.cvmsim.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.request;

import io.cvmsim.config.CvmsimConfiguration;
import io.cvmsim.core.jobs.JobManager;
import io.cvmsim.core.stats.ProcFormat;
import io.cvmsim.core.vm.GuestVm;
import io.cvmsim.core.vm.VmRegistry;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every kind of bad input the API must refuse: each answers a 4xx {@code application/problem+json}
 * naming the field at fault where there is one, never a 5xx, and leaves the VM (its summary,
 * /proc/meminfo, accept log, host view, unaccepted table), the registry and the jobs exactly as
 * they were.
 */
@WebMvcTest
@Import(CvmsimConfiguration.class)
@TestPropertySource(properties = "cvmsim.limits.max-batch=100")
class BadInputTest {

  static final String VM = "/api/v1/vms/target";

  /** One bad request and what it must answer. */
  record Case(
      String name,
      HttpMethod method,
      String path,
      MediaType type,
      String body,
      int status,
      String field,
      HttpHeaders headers) {
    Case(
        String name,
        HttpMethod method,
        String path,
        MediaType type,
        String body,
        int status,
        String field) {
      this(name, method, path, type, body, status, field, new HttpHeaders());
    }

    /** Returns this case with one more header value. */
    Case with(String header, String value) {
      HttpHeaders more = new HttpHeaders();
      more.addAll(headers);
      more.add(header, value);
      return new Case(name, method, path, type, body, status, field, more);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  static Case c(String name, String method, String path, String body, int status, String field) {
    return new Case(
        name,
        HttpMethod.valueOf(method),
        path,
        body == null ? null : MediaType.APPLICATION_JSON,
        body,
        status,
        field);
  }

  static Stream<Case> cases() {
    String v = "/api/v1/vms";
    return Stream.of(
        // malformed or mistyped JSON
        c("malformed JSON", "POST", v, "{\"memory\":\"4GiB\"", 400, null),
        c("trailing garbage", "POST", v, "{\"memory\":\"1GiB\"} x", 400, null),
        c("empty body", "POST", v, "", 400, null),
        c("body is an array", "POST", v, "[]", 400, null),
        c("memory of the wrong type", "POST", v, "{\"memory\":true}", 400, "memory"),
        c("vcpus not an integer", "POST", v, "{\"memory\":\"1GiB\",\"vcpus\":1.5}", 400, "vcpus"),
        c("vcpus a string", "POST", v, "{\"memory\":\"1GiB\",\"vcpus\":\"four\"}", 400, "vcpus"),
        c("unknown field", "POST", v, "{\"memory\":\"1GiB\",\"colour\":\"red\"}", 400, "colour"),
        c(
            "nested unknown field",
            "POST",
            v,
            "{\"efiMemoryMap\":[{\"type\":7,\"physStart\":0,\"pages\":1,\"x\":1}]}",
            400,
            "efiMemoryMap[0].x"),
        // numbers out of range
        c("negative memory", "POST", v, "{\"memory\":-1073741824}", 400, "memory"),
        c("overflowing memory", "POST", v, "{\"memory\":\"9999999999TiB\"}", 400, "memory"),
        c(
            "memory beyond 64 bits",
            "POST",
            v,
            "{\"memory\":123456789012345678901234}",
            400,
            "memory"),
        c(
            "vcpus beyond int",
            "POST",
            v,
            "{\"memory\":\"1GiB\",\"vcpus\":99999999999}",
            400,
            "vcpus"),
        c("vcpus zero", "POST", v, "{\"memory\":\"1GiB\",\"vcpus\":0}", 400, "vcpus"),
        c("unknown size unit", "POST", v, "{\"memory\":\"4GB2\"}", 400, "memory"),
        c(
            "unknown platform",
            "POST",
            v,
            "{\"memory\":\"1GiB\",\"platform\":\"ARM-CCA\"}",
            400,
            "platform"),
        c(
            "unknown policy",
            "POST",
            v,
            "{\"memory\":\"1GiB\",\"acceptPolicy\":\"SOMETIMES\"}",
            400,
            "acceptPolicy"),
        c("unknown kernel", "POST", v, "{\"memory\":\"1GiB\",\"kernel\":\"2.6\"}", 400, "kernel"),
        c("unknown bootTo", "POST", v, "{\"memory\":\"1GiB\",\"bootTo\":\"BIOS\"}", 400, "bootTo"),
        c(
            "unknown host page size",
            "POST",
            v,
            "{\"memory\":\"1GiB\",\"hostPageSize\":\"3M\"}",
            400,
            "hostPageSize"),
        c("bad name", "POST", v, "{\"memory\":\"1GiB\",\"name\":\"Not_OK\"}", 400, "name"),
        c(
            "memory and map",
            "POST",
            v,
            "{\"memory\":\"1GiB\",\"efiMemoryMap\":[{\"type\":7,\"physStart\":0,\"pages\":1}]}",
            400,
            "efiMemoryMap"),
        c("neither memory nor map", "POST", v, "{\"name\":\"empty\"}", 400, "memory"),
        c("memory too small", "POST", v, "{\"memory\":\"1MiB\"}", 422, "memory"),
        c(
            "firmware accepts more than memory",
            "POST",
            v,
            "{\"memory\":\"1GiB\",\"firmwareAcceptedBytes\":\"2GiB\"}",
            422,
            "firmwareAcceptedBytes"),
        c(
            "unknown memory type",
            "POST",
            v,
            "{\"efiMemoryMap\":[{\"type\":\"RAM\",\"physStart\":0,\"pages\":1}]}",
            400,
            "efiMemoryMap[0].type"),
        c(
            "memory type number out of range",
            "POST",
            v,
            "{\"efiMemoryMap\":[{\"type\":16,\"physStart\":0,\"pages\":1}]}",
            400,
            "efiMemoryMap[0].type"),
        c(
            "descriptor without pages",
            "POST",
            v,
            "{\"efiMemoryMap\":[{\"type\":7,\"physStart\":0}]}",
            400,
            "efiMemoryMap[0].pages"),
        c(
            "overlapping descriptors",
            "POST",
            v,
            "{\"efiMemoryMap\":[{\"type\":7,\"physStart\":0,\"pages\":16384},"
                + "{\"type\":15,\"physStart\":4096,\"pages\":16384}]}",
            422,
            "efiMemoryMap[1].physStart"),
        c(
            "unaligned descriptor",
            "POST",
            v,
            "{\"efiMemoryMap\":[{\"type\":7,\"physStart\":\"0x10\",\"pages\":1}]}",
            422,
            "efiMemoryMap[0].physStart"),
        c(
            "descriptor beyond 52 bits",
            "POST",
            v,
            "{\"efiMemoryMap\":[{\"type\":7,\"physStart\":\"0x20000000000000\",\"pages\":1}]}",
            422,
            "efiMemoryMap[0].pages"),
        c(
            "negative pages",
            "POST",
            v,
            "{\"efiMemoryMap\":[{\"type\":7,\"physStart\":0,\"pages\":-1}]}",
            422,
            "efiMemoryMap[0].pages"),
        c("over max-memory-per-vm", "POST", v, "{\"memory\":\"5TiB\"}", 413, "memory"),
        c("name clash", "POST", v, "{\"memory\":\"1GiB\",\"name\":\"target\"}", 409, null),
        // acceptance
        c(
            "accept start equal to end",
            "POST",
            VM + "/accept",
            "{\"start\":4096,\"end\":4096}",
            400,
            "end"),
        c(
            "accept start above end",
            "POST",
            VM + "/accept",
            "{\"start\":\"0x200000\",\"end\":\"0x100000\"}",
            400,
            "end"),
        c(
            "accept negative start",
            "POST",
            VM + "/accept",
            "{\"start\":-4096,\"end\":4096}",
            400,
            "start"),
        c(
            "accept end beyond 52 bits",
            "POST",
            VM + "/accept",
            "{\"start\":0,\"end\":\"0x10000000000001\"}",
            400,
            "end"),
        c(
            "accept start beyond 52 bits",
            "POST",
            VM + "/accept",
            "{\"start\":\"0x10000000000000\",\"end\":\"0x10000000001000\"}",
            400,
            "start"),
        c(
            "accept address not hex",
            "POST",
            VM + "/accept",
            "{\"start\":\"0xZZ\",\"end\":1}",
            400,
            "start"),
        c(
            "accept address beyond 64 bits",
            "POST",
            VM + "/accept",
            "{\"start\":0,\"end\":\"0x1ffffffffffffffff\"}",
            400,
            "end"),
        c(
            "accept fractional address",
            "POST",
            VM + "/accept",
            "{\"start\":0.5,\"end\":4096}",
            400,
            "start"),
        c("accept without end", "POST", VM + "/accept", "{\"start\":0}", 400, "end"),
        c(
            "accept unknown field",
            "POST",
            VM + "/accept",
            "{\"start\":0,\"end\":4096,\"force\":true}",
            400,
            "force"),
        c("unaccepted without end", "GET", VM + "/unaccepted?start=0", null, 400, "end"),
        c(
            "unaccepted start above end",
            "GET",
            VM + "/unaccepted?start=0x2000&end=0x1000",
            null,
            400,
            "end"),
        c("unaccepted bad address", "GET", VM + "/unaccepted?start=x&end=1", null, 400, "start"),
        c("accept-log limit zero", "GET", VM + "/accept-log?limit=0", null, 400, "limit"),
        c("accept-log limit too large", "GET", VM + "/accept-log?limit=100001", null, 400, "limit"),
        c("accept-log negative after", "GET", VM + "/accept-log?after=-1", null, 400, "after"),
        c("accept-log after not a number", "GET", VM + "/accept-log?after=one", null, 400, "after"),
        // the page allocator
        c("order above 10", "POST", VM + "/allocations", "{\"order\":11}", 400, "order"),
        c("negative order", "POST", VM + "/allocations", "{\"order\":-1}", 400, "order"),
        c("order not an integer", "POST", VM + "/allocations", "{\"order\":\"two\"}", 400, "order"),
        c("count zero", "POST", VM + "/allocations", "{\"count\":0}", 400, "count"),
        c("negative count", "POST", VM + "/allocations", "{\"count\":-5}", 400, "count"),
        c("count over max-batch", "POST", VM + "/allocations", "{\"count\":101}", 413, "count"),
        c("count beyond int", "POST", VM + "/allocations", "{\"count\":1e20}", 400, "count"),
        c("unknown gfp", "POST", VM + "/allocations", "{\"gfp\":\"GFP_MAGIC\"}", 400, "gfp"),
        c("gfp not a string", "POST", VM + "/allocations", "{\"gfp\":[1]}", 400, "gfp"),
        c("free a pfn never allocated", "POST", VM + "/frees", "{\"pfns\":[1]}", 422, "pfns[0]"),
        c("free a negative pfn", "POST", VM + "/frees", "{\"pfns\":[-1]}", 422, "pfns[0]"),
        c(
            "free a pfn beyond 64 bits",
            "POST",
            VM + "/frees",
            "{\"pfns\":[99999999999999999999]}",
            400,
            "pfns[0]"),
        c("free without pfns", "POST", VM + "/frees", "{}", 400, "pfns"),
        c("free pfns not an array", "POST", VM + "/frees", "{\"pfns\":5}", 400, "pfns"),
        c(
            "free over max-batch",
            "POST",
            VM + "/frees",
            "{\"pfns\":[" + "1,".repeat(100) + "1]}",
            413,
            "pfns"),
        c(
            "extfrag unknown file",
            "GET",
            VM + "/extfrag?file=fragmentation_index",
            null,
            400,
            "file"),
        // workloads and experiments
        c(
            "workload unknown type",
            "POST",
            VM + "/workloads",
            "{\"type\":\"bitcoin\"}",
            400,
            "type"),
        c(
            "workload parameter out of range",
            "POST",
            VM + "/workloads",
            "{\"type\":\"kernel-build\",\"parallelism\":100000}",
            400,
            "parallelism"),
        c(
            "workload unknown parameter",
            "POST",
            VM + "/workloads",
            "{\"type\":\"memory-hog\",\"speed\":9}",
            400,
            "speed"),
        c(
            "experiment size unreadable",
            "POST",
            "/api/v1/experiments/boot-time",
            "{\"platforms\":[\"TDX\"],\"memorySizes\":[\"big\"]}",
            400,
            "memorySizes[0]"),
        // paging
        c("negative page", "GET", "/api/v1/vms?page=-1", null, 400, "page"),
        c("page size too large", "GET", "/api/v1/jobs?size=1001", null, 400, "size"),
        c("page not a number", "GET", "/api/v1/vms?page=first", null, 400, "page"),
        // unknown things, methods and media types
        c("unknown VM", "GET", "/api/v1/vms/nope/meminfo", null, 404, null),
        c("unknown VM allocation", "POST", "/api/v1/vms/nope/allocations", "{}", 404, null),
        c(
            "unknown VM accept",
            "POST",
            "/api/v1/vms/nope/accept",
            "{\"start\":0,\"end\":1}",
            404,
            null),
        c("unknown VM delete", "DELETE", "/api/v1/vms/nope", null, 404, null),
        c("unknown job", "GET", "/api/v1/jobs/job-0-0", null, 404, null),
        c("unknown path", "GET", "/api/v1/nothing-here", null, 404, null),
        c("PUT a VM", "PUT", VM, "{}", 405, null),
        c("PATCH meminfo", "PATCH", VM + "/meminfo", "{}", 405, null),
        c("GET allocations", "GET", VM + "/allocations", null, 405, null),
        c("DELETE accept", "DELETE", VM + "/accept", null, 405, null),
        new Case(
            "XML body",
            HttpMethod.POST,
            VM + "/allocations",
            MediaType.APPLICATION_XML,
            "<order>1</order>",
            415,
            null),
        new Case(
            "text body to JSON endpoint",
            HttpMethod.POST,
            "/api/v1/vms",
            MediaType.TEXT_PLAIN,
            "memory=1GiB",
            415,
            null),
        new Case(
            "JSON body to trace upload",
            HttpMethod.POST,
            VM + "/workloads/trace-replay",
            MediaType.APPLICATION_JSON,
            "{}",
            415,
            null),
        new Case(
            "multipart without a boundary",
            HttpMethod.POST,
            v,
            MediaType.parseMediaType("multipart/form-data"),
            "memory=1GiB",
            415,
            null),
        new Case(
            "form body",
            HttpMethod.POST,
            VM + "/allocations",
            MediaType.APPLICATION_FORM_URLENCODED,
            "order=%ZZ",
            415,
            null),
        new Case(
            "trace without one event",
            HttpMethod.POST,
            VM + "/workloads/trace-replay",
            MediaType.TEXT_PLAIN,
            "\u0000\u00ff not a trace\n",
            400,
            "trace"),
        // JSON that lenient parsers take: a key twice, a value of another type read as text
        c("a key given twice", "POST", v, "{\"memory\":\"1GiB\",\"memory\":\"2GiB\"}", 400, null),
        c("name true", "POST", v, "{\"memory\":\"1GiB\",\"name\":true}", 400, "name"),
        c("kernel a number", "POST", v, "{\"memory\":\"1GiB\",\"kernel\":6.5}", 400, "kernel"),
        c(
            "vcpus a numeric string",
            "POST",
            v,
            "{\"memory\":\"1GiB\",\"vcpus\":\"4\"}",
            400,
            "vcpus"),
        // headers and URLs the service cannot read
        c("Accept not a media type", "GET", VM + "/meminfo", null, 400, null)
            .with("Accept", "text"),
        c("Accept with an unknown charset", "GET", VM + "/meminfo", null, 400, null)
            .with("Accept", "text/plain;charset=nope"),
        c("Accept with q above 1", "GET", v, null, 400, null)
            .with("Accept", "application/json;q=2"),
        c("Authorization twice", "DELETE", VM, null, 400, null)
            .with("Authorization", "Bearer a")
            .with("Authorization", "Bearer b"),
        c("path parameter", "GET", VM + ";v=1/meminfo", null, 400, null),
        c("path parameter on the list", "POST", v + ";x", "{\"memory\":\"1GiB\"}", 400, null));
  }

  @Autowired MockMvc mvc;
  @Autowired VmRegistry registry;
  @Autowired JobManager jobs;
  @Autowired JsonMapper json;
  GuestVm vm;

  @BeforeEach
  void createTarget() {
    vm = TestVms.tdx(registry, "target", 4);
    vm.allocate(io.cvmsim.core.memory.Gfp.GFP_KERNEL, 0, 10);
    vm.accept(5L << 30, (5L << 30) + (4L << 20));
  }

  @AfterEach
  void deleteVms() {
    TestVms.deleteAll(registry);
  }

  /** Everything observable about the service's state. */
  record State(
      List<String> vms,
      String summary,
      String meminfo,
      int acceptLog,
      String host,
      long bitmapUnaccepted,
      int jobs) {}

  State state() {
    return new State(
        registry.list().stream().map(GuestVm::id).toList(),
        vm.summary().toString(),
        ProcFormat.meminfo(vm.memory()),
        vm.acceptLog(0, Integer.MAX_VALUE).size(),
        json.writeValueAsString(vm.host()),
        vm.unacceptedTable().unacceptedBytes(),
        jobs.list(null).size());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void badInput_isA4xxProblemNamingTheField_andChangesNothing(Case c) throws Exception {
    State before = state();
    MockHttpServletRequestBuilder req = request(c.method(), c.path());
    if (c.type() != null) {
      req.contentType(c.type()).content(c.body());
    }
    req.headers(c.headers());
    MockHttpServletResponse res = mvc.perform(req).andReturn().getResponse();

    assertThat(res.getStatus())
        .as(c.name() + ": " + res.getContentAsString())
        .isEqualTo(c.status());
    assertThat(res.getContentType()).isEqualTo("application/problem+json");
    JsonNode p = json.readTree(res.getContentAsString());
    assertThat(p.get("type").asString()).startsWith("https://cvmsim.io/problems/");
    assertThat(p.get("title").asString()).isNotBlank();
    assertThat(p.get("status").asInt()).isEqualTo(c.status());
    assertThat(p.get("detail").asString()).isNotBlank();
    assertThat(p.get("instance").asString()).isEqualTo(c.path().replaceAll("\\?.*", ""));
    assertThat(p.get("requestId").asString()).isNotBlank();
    if (c.field() != null) {
      assertThat(p.get("errors").get(0).get("field").asString()).isEqualTo(c.field());
      assertThat(p.get("errors").get(0).get("message").asString()).isNotBlank();
    }
    if (c.status() == 405) {
      assertThat(res.getHeader("Allow")).isNotBlank();
    }
    assertThat(state()).isEqualTo(before);
    vm.checkInvariants();
  }
}
