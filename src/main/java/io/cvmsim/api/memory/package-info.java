/** The guest's memory: allocations, frees, and the /proc and debugfs views. */
package io.cvmsim.api.memory;
