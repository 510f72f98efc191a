/** Workload endpoints: start a workload (or an uploaded trace replay) on a VM as a job. */
package io.cvmsim.api.workload;
