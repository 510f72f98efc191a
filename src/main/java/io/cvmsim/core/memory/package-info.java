/**
 * Sizes, units and the value types every layer shares: page sizes, migrate types, zones, GFP masks,
 * watermark levels.
 */
package io.cvmsim.core.memory;
