/**
 * The snapshot container: a versioned header and a zlib-compressed payload of sections, each with
 * an id, a version and a length, so a structure can add its own section without breaking older
 * snapshots ({@link io.cvmsim.core.snapshot.SnapshotFormat}), and the bounded readers and writers
 * the sections are encoded with ({@link io.cvmsim.core.snapshot.SectionOutput}, {@link
 * io.cvmsim.core.snapshot.SectionInput}). Knows nothing of guests: docs/SNAPSHOT.md names every
 * section and field.
 */
package io.cvmsim.core.snapshot;
