/**
 * The distance to real kernels over HTTP: the bundled recordings, and the comparison of cvmsim with
 * a recorded kernel (a bundled recording or an uploaded one).
 */
package io.cvmsim.api.validation;
