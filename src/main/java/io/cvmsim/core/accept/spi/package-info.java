/**
 * The platform SPI: the kernel's {@code arch_accept_memory()} behind one small interface, and the
 * cost model every platform charges from.
 *
 * <pre>
 *   accept_memory() ──► AcceptPlatform.accept(start, end, phase) ──► AcceptOperations
 *                         TDX:  TDG.MEM.PAGE.ACCEPT at 1G, 2M, 4K
 *                         SNP:  page-state change (VMGEXIT) + PVALIDATE at 2M, 4K
 *                         NONE: no unaccepted memory; never called
 * </pre>
 *
 * Implementations live in sub-packages and never reach the allocator, the VM or the boot model.
 */
package io.cvmsim.core.accept.spi;
