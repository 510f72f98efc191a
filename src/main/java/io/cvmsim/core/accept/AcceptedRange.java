package io.cvmsim.core.accept;

import io.cvmsim.core.accept.spi.AcceptOperations;

/**
 * One {@code arch_accept_memory()} call made by {@code accept_memory()}.
 *
 * @param start first byte accepted
 * @param end byte after the last one accepted
 * @param operations what the platform did
 */
public record AcceptedRange(long start, long end, AcceptOperations operations) {}
