package io.cvmsim.api.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.cvmsim.config.CvmsimConfiguration;
import io.cvmsim.core.vm.VmRegistry;
import java.nio.charset.StandardCharsets;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

@WebMvcTest
@Import(CvmsimConfiguration.class)
class Utf8BodyTest {

  @Autowired MockMvc mvc;
  @Autowired VmRegistry registry;

  @Test
  void aNameWithAByteThatIsNotUtf8_isRefused_evenAfterTheValidNameWasRead() throws Exception {
    mvc.perform(
            post("/api/v1/vms")
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"memory\":\"1GiB\",\"name\":\"valid\",\"khugepaged\":false}"))
        .andExpect(status().isCreated());

    byte[] body =
        "{\"memory\":\"1GiB\",\"name\":\"invalid\",\"khugepag\u00ffed\":false}"
            .getBytes(StandardCharsets.ISO_8859_1);
    mvc.perform(post("/api/v1/vms").contentType(MediaType.APPLICATION_JSON).content(body))
        .andExpect(status().isBadRequest())
        .andExpect(
            jsonPath("$.detail").value(Matchers.startsWith("the request body is not UTF-8")));

    assertThat(registry.list()).hasSize(1);
    registry.delete("valid");
  }

  @Test
  void overlongFormsSurrogatesAndTruncatedCharacters_areRefused() throws Exception {
    for (String bad :
        new String[] {"\u00c0\u00af", "\u00ed\u00a0\u0080", "\u00f4\u0090\u0080\u0080"}) {
      byte[] body =
          ("{\"memory\":\"1GiB\",\"name\":\"x" + bad + "\"}").getBytes(StandardCharsets.ISO_8859_1);
      mvc.perform(post("/api/v1/vms").contentType(MediaType.APPLICATION_JSON).content(body))
          .andExpect(status().isBadRequest())
          .andExpect(
              jsonPath("$.detail").value(Matchers.startsWith("the request body is not UTF-8")));
    }
    byte[] truncated = "{\"memory\":\"1GiB\"}\u00e2\u0082".getBytes(StandardCharsets.ISO_8859_1);
    mvc.perform(post("/api/v1/vms").contentType(MediaType.APPLICATION_JSON).content(truncated))
        .andExpect(status().isBadRequest());
    assertThat(registry.list()).isEmpty();
  }

  @Test
  void multiByteCharacters_passUnchanged() throws Exception {
    mvc.perform(
            post("/api/v1/vms")
                .contentType(MediaType.APPLICATION_JSON)
                .content(
                    "{\"memory\":\"1GiB\",\"name\":\"caf\u00e9\u20ac\ud83d\ude00\"}"
                        .getBytes(StandardCharsets.UTF_8)))
        .andExpect(status().isBadRequest())
        .andExpect(
            jsonPath("$.detail").value(Matchers.containsString("caf\u00e9\u20ac\ud83d\ude00")));
  }
}
