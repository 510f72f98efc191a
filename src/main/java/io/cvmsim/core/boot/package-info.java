/**
 * The boot of a confidential guest, stage by stage, and its simulated timeline: firmware, EFI stub,
 * decompressor, early kernel (memblock), hand-over to the page allocator, early allocations before
 * the watermarks exist, deferred struct-page init, userspace.
 */
package io.cvmsim.core.boot;
