/**
 * The memory-map picture of a guest: its physical address space summarised into equal buckets of
 * states (hole, reserved, kernel, unaccepted, parked, free, allocated by migrate type), as JSON for
 * the web page and other clients, or as an accessible SVG.
 */
package io.cvmsim.api.memorymap;
