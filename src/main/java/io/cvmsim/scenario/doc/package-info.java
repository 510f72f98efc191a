/**
 * YAML (SnakeYAML's composer) and JSON (Jackson's streaming parser) read into one tree of {@link
 * io.cvmsim.scenario.doc.Node}s that keep their line and column, and {@link
 * io.cvmsim.scenario.doc.Fields}, a strict reader that collects every problem of a file at once.
 */
package io.cvmsim.scenario.doc;
