package io.cvmsim.support;

import org.testcontainers.DockerClientFactory;

/** The {@link RequiresDocker} condition: Docker is usable when Testcontainers gets a client. */
final class DockerCondition extends RequiredToolCondition {

  DockerCondition() {
    super("Docker", "docker");
  }

  /**
   * Asks Testcontainers for a client, which pings the engine. Not {@code isDockerAvailable()}: it
   * lets some failures escape as exceptions; any Throwable here means "not available".
   */
  @Override
  protected void probe() {
    DockerClientFactory.instance().client();
  }
}
