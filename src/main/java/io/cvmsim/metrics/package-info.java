/**
 * Micrometer meters for the simulated guests, served by Actuator at {@code /actuator/prometheus}
 * under the names of the metric contract (docs: METRICS.md; the README's "Monitoring" section lists
 * the series per VM).
 *
 * <pre>
 *   VmRegistry ──onAdd/onRemove──▶ VmMeterBinder ──▶ one GuestVmMeters per guest
 *                                                        │ meters registered / removed as a set
 *   scrape ──▶ meter functions ──▶ GuestVmMeters.snapshot() ── GuestVm.latestSnapshot() (never waits)
 *                                  GuestVmMeters.host()     ── GuestVm.host() (brief lock, cached)
 * </pre>
 *
 * The package reads the core through {@code core.vm} and {@code core.stats} (and the shared enums
 * of {@code core.memory} and {@code core.accept} that name the tags), never allocator internals.
 */
package io.cvmsim.metrics;
