/** Firmware and acceptance endpoints: memory map, unaccepted table, accept, accept log, host. */
package io.cvmsim.api.accept;
