package io.cvmsim.metrics;

import io.cvmsim.support.RequiredToolCondition;

/**
 * The {@link RequiresPrometheus} condition: Prometheus is usable when its binary is found and
 * answers {@code --version}. Required under the same switch as promtool ({@code tools.required}).
 */
final class PrometheusCondition extends RequiredToolCondition {

  PrometheusCondition() {
    super("Prometheus (install the Debian package 'prometheus')", "tools");
  }

  @Override
  protected void probe() throws Exception {
    PrometheusServer.version();
  }
}
