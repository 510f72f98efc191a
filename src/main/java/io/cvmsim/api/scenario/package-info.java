/**
 * {@code POST /api/v1/scenarios}: a scenario file (YAML or JSON) checked and run as a job whose
 * result lists every step and expectation.
 */
package io.cvmsim.api.scenario;
