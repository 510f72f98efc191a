/**
 * The kernel's side of acceptance (drivers/firmware/efi/unaccepted_memory.c): {@code
 * accept_memory()} and {@code range_contains_unaccepted_memory()} over the stub's bitmap, safe
 * under concurrent callers, plus the accept log and the hypervisor's view of backed memory.
 *
 * <pre>
 *   caller ──► UnacceptedMemory.acceptMemory(start, end)
 *                clip to phys_base, guard unit, clamp to bitmap, wait on accepting_list
 *                for each run of set bits:  AcceptPlatform.accept() ──► AcceptListener
 *                                           (lock dropped)              (log, host, metrics)
 * </pre>
 */
package io.cvmsim.core.accept;
