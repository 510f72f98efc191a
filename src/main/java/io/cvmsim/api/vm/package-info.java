/** The VM lifecycle endpoints: create, list, get, delete, boot. */
package io.cvmsim.api.vm;
