/** Intel TDX: TDG.MEM.PAGE.ACCEPT at 1 GiB, 2 MiB and 4 KiB. */
package io.cvmsim.core.accept.tdx;
