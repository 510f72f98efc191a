/**
 * Long work (workloads, experiments) as jobs on a bounded executor, with progress, cancellation and
 * results kept until their VM is deleted.
 */
package io.cvmsim.core.jobs;
