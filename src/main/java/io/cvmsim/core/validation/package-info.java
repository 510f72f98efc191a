/**
 * The distance to a real kernel: recordings of real Linux guests (booted in QEMU by
 * tools/kernel-corpus/record, format in tools/kernel-corpus/FORMAT.md), the kernel's /proc and
 * debugfs files read back into numbers, a cvmsim guest built like the recorded one and brought
 * through the recorded trace, and the comparison phase by phase.
 */
package io.cvmsim.core.validation;
