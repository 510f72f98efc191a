/**
 * The real-kernel recordings the service knows: those bundled under
 * src/main/resources/kernel-recordings and those a user uploads, read from the recorder's format
 * (tools/kernel-corpus/FORMAT.md) into {@link io.cvmsim.core.validation.KernelRecording}.
 */
package io.cvmsim.corpus;
