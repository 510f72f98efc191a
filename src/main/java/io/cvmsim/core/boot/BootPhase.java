package io.cvmsim.core.boot;

/**
 * One phase of the boot timeline.
 *
 * @param name the phase
 * @param simulatedNanos simulated wall-clock time
 * @param acceptedBytes memory accepted during the phase
 * @param acceptNanos the part of the time spent accepting (before dividing by parallelism)
 */
public record BootPhase(String name, long simulatedNanos, long acceptedBytes, long acceptNanos) {}
