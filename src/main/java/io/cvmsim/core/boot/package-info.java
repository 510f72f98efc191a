/**
 * The boot of a confidential guest, stage by stage, and its simulated timeline: firmware, EFI stub,
 * decompressor, early kernel (memblock), hand-over to the page allocator up to the first deferred
 * pfn, early allocations before the watermarks exist, deferred struct-page init, the initcalls
 * (watermarks, then the initrd and the init sections freed), userspace.
 */
package io.cvmsim.core.boot;
