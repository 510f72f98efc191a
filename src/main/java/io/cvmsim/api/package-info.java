/**
 * The REST API v1 (the contract is {@code API.md}): thin controllers by feature that map HTTP to
 * one core call and back, request and response records with static factories from core views, and
 * the shared web plumbing in {@code web}.
 */
package io.cvmsim.api;
