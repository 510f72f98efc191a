/** A plain VM: no unaccepted memory, nothing to accept. */
package io.cvmsim.core.accept.none;
