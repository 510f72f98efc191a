/**
 * Seeded workloads that drive a guest's page allocator: parallel kernel builds, memory hogs,
 * fragmenters, and the replay of real {@code kmem:mm_page_alloc}/{@code mm_page_free} traces. Every
 * workload takes a seed and reports it, so a run can be repeated exactly.
 */
package io.cvmsim.core.workload;
