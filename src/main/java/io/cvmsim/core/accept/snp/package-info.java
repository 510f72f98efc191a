/** AMD SEV-SNP: page-state changes through the GHCB and PVALIDATE at 2 MiB and 4 KiB. */
package io.cvmsim.core.accept.snp;
