package io.cvmsim.core.workload;

import java.util.Map;

/**
 * What a workload did to a guest.
 *
 * @param type the workload type
 * @param seed the seed it ran with
 * @param events allocation and free events executed
 * @param allocations allocations that succeeded
 * @param failures allocations that failed
 * @param frees allocations freed
 * @param extfragEvents mm_page_alloc_extfrag events during the run
 * @param extfragFragmenting of those, fallback_order below pageblock_order
 * @param extfragFragmentingMovable of those, falling back to MOVABLE
 * @param unacceptedBytesBefore the meminfo Unaccepted line before
 * @param unacceptedBytesAfter and after
 * @param acceptedChunks parked chunks accepted on demand during the run
 * @param simulatedAcceptNanos simulated time spent accepting during the run
 * @param wallMillis real time the run took
 * @param details workload-specific numbers
 */
public record WorkloadResult(
    String type,
    long seed,
    long events,
    long allocations,
    long failures,
    long frees,
    long extfragEvents,
    long extfragFragmenting,
    long extfragFragmentingMovable,
    long unacceptedBytesBefore,
    long unacceptedBytesAfter,
    long acceptedChunks,
    long simulatedAcceptNanos,
    long wallMillis,
    Map<String, Object> details) {}
