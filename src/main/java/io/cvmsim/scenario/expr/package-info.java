/**
 * The expression language of expectations and sweep measures: {@link
 * io.cvmsim.scenario.expr.ExprParser} (grammar and dimension checks), {@link
 * io.cvmsim.scenario.expr.Catalog} (every name a file can read, resolved against its VMs, steps and
 * labels) and the {@link io.cvmsim.scenario.expr.Probe} a run answers reads through.
 */
package io.cvmsim.scenario.expr;
