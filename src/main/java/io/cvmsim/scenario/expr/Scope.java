package io.cvmsim.scenario.expr;

/** Gives references their meaning: which VMs, steps, labels and views exist where they are used. */
public interface Scope {

  /**
   * Returns what reads the reference.
   *
   * @throws ExprException naming the unknown VM, view, field, step or label
   */
  Reader resolve(RefSyntax ref);
}
