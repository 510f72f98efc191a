/** Sizes, units and the enums every layer shares (page sizes, migrate types, zones). */
package io.cvmsim.core.memory;
