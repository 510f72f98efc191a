/** Experiment endpoints: boot time (synchronous or a job) and fragmentation (a job). */
package io.cvmsim.api.experiment;
