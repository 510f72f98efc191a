/** Job endpoints: list, get (JSON, or CSV for boot-time results), cancel. */
package io.cvmsim.api.jobs;
