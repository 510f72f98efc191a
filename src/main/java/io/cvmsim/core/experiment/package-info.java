/**
 * Experiments that reproduce the published claims of the unaccepted-memory series: boot time, lazy
 * against eager, over platforms and memory sizes; and external fragmentation under parallel kernel
 * builds, lazy against eager, over seeds (the v9 study).
 */
package io.cvmsim.core.experiment;
