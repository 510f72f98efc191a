/**
 * Sweeps: a Cartesian product of configurations ({@link io.cvmsim.sweep.SweepParser}), split round
 * robin into shards ({@link io.cvmsim.sweep.Shard}), run one configuration after another ({@link
 * io.cvmsim.sweep.SweepRunner}) into CSV and JSON lines files ({@link io.cvmsim.sweep.SweepFiles}),
 * and merged back into the table one process writes ({@link io.cvmsim.sweep.SweepMerge}).
 */
package io.cvmsim.sweep;
