/**
 * The API's web plumbing, shared by every feature: request value types (sizes, addresses), the page
 * envelope, the one problem handler, and the servlet filters for request ids, access logs, the
 * optional API token and the body size limit.
 */
package io.cvmsim.api.web;
