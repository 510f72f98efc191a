/**
 * The firmware and the EFI stub: the UEFI memory map handed to Linux (with EFI_UNACCEPTED_MEMORY
 * regions), an OVMF-like layout generator, and the stub's unaccepted memory table.
 *
 * <pre>
 *   firmware (OVMF/TDVF)          EFI stub (libstub)                    kernel
 *   memory map, type 15  ──►  allocate_unaccepted_bitmap()  ──►  efi.unaccepted table
 *   accepts what it used      process_unaccepted_memory():        accept_memory() clears bits
 *                             unaligned pieces accepted now,
 *                             aligned units set in the bitmap
 * </pre>
 *
 * References: drivers/firmware/efi/libstub/unaccepted_memory.c, include/linux/efi.h.
 */
package io.cvmsim.core.firmware;
