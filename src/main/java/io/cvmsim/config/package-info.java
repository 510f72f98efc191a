/**
 * Configuration: the {@code cvmsim.*} properties (documented once in {@code application.yaml}),
 * their converters, and the wiring of the core, the web layer and the OpenAPI document.
 */
package io.cvmsim.config;
