package io.cvmsim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class CvmsimApplicationTests {

  @LocalServerPort int port;

  @Autowired org.springframework.context.ApplicationContext context;

  @Test
  void contextStarts() {
    assertThat(context).isNotNull();
    assertThat(port).isPositive();
  }
}
