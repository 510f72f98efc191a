package io.cvmsim.scenario.expr;

import io.cvmsim.core.stats.MemorySnapshot;
import io.cvmsim.core.vm.VmViews;
import java.math.BigDecimal;
import java.util.Map;

/**
 * What an expression reads while a run is under way. VMs are named as the file names them;
 * implementations throw {@link EvalException} for what cannot be read now.
 */
public interface Probe {

  /** Returns the guest's memory now (the /proc views' source). */
  MemorySnapshot memory(String vm);

  /** Returns the hypervisor's side of the guest now. */
  VmViews.Host host(String vm);

  /** Returns the guest's boot timeline. */
  VmViews.Boot boot(String vm);

  /** Returns the guest's unaccepted memory table now. */
  VmViews.Table table(String vm);

  /** Returns the values a finished step reported (see {@link Catalog}), by field name. */
  Map<String, BigDecimal> step(String id);

  /** Returns the views recorded under a snapshot label. */
  Views snapshot(String label);
}
