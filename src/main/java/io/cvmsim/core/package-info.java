/**
 * The simulator: plain Java 17 that imports nothing outside the JDK (an ArchUnit test enforces it).
 *
 * <p>Each sub-package mirrors one part of Linux as it manages the memory of a confidential guest:
 *
 * <pre>
 *   firmware   UEFI memory map, OVMF-like layout, the EFI stub and its unaccepted table
 *   accept     accept_memory() over the bitmap; arch_accept_memory() per platform; cost model
 *   mm         zones, buddy allocator, pageblocks, watermarks, accept-on-demand
 *   stats      counters, immutable snapshots, /proc and debugfs text renderers
 *   boot       the boot timeline; workload  seeded workload generators and trace replay
 *   vm         GuestVm: wires the layers together for one simulated guest
 * </pre>
 */
package io.cvmsim.core;
