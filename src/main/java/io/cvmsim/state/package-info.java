/**
 * Durable state: with {@code cvmsim.state.dir} set, every VM is written there as a snapshot, and
 * its jobs' records as JSON, after changes and at shutdown, atomically; at start they are read back
 * ({@link io.cvmsim.state.DurableState}, over {@link io.cvmsim.state.StateDirectory}).
 */
package io.cvmsim.state;
