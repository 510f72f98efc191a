package io.cvmsim.api.memorymap;

import static org.assertj.core.api.Assertions.assertThat;

import io.cvmsim.api.DocumentedApi;
import io.cvmsim.api.DocumentedApi.Answer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The memory map through the operations the OpenAPI document lists, on the running service. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
class MemoryMapDocumentedTest {

  @LocalServerPort int port;

  @Test
  void jsonAndSvg_areDocumentedOperations() throws Exception {
    DocumentedApi api = new DocumentedApi(port);
    String id =
        api.call("POST", "/api/v1/vms", "{\"name\":\"documented-map\",\"memory\":\"2GiB\"}")
            .json()
            .get("id")
            .asString();
    try {
      Answer json =
          api.call("GET", "/api/v1/vms/{id}/memory-map?from=0&to=2GiB&buckets=128", null, id);
      assertThat(json.status()).isEqualTo(200);
      assertThat(json.json().get("buckets")).hasSize(128);
      assertThat(json.json().get("totals").get("unaccepted").asLong()).isPositive();

      Answer svg =
          api.call("GET", "/api/v1/vms/{id}/memory-map.svg", "image/svg+xml", null, null, id);
      assertThat(svg.status()).isEqualTo(200);
      assertThat(svg.header("Content-Type")).startsWith("image/svg+xml");
      assertThat(svg.text()).startsWith("<svg").contains("documented-map");

      var op = api.document().at("/paths/~1api~1v1~1vms~1{id}~1memory-map/get");
      assertThat(op.path("summary").asString()).isNotBlank();
      assertThat(op.path("parameters").toString()).contains("from", "to", "buckets");
    } finally {
      api.call("DELETE", "/api/v1/vms/{id}", null, id);
    }
  }
}
