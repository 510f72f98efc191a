package io.cvmsim.core.vm;

import io.cvmsim.core.accept.none.NonePlatform;
import io.cvmsim.core.accept.snp.SnpPlatform;
import io.cvmsim.core.accept.spi.AcceptCosts;
import io.cvmsim.core.accept.spi.AcceptPlatform;
import io.cvmsim.core.accept.tdx.TdxPlatform;
import java.util.Locale;
import java.util.function.Function;

/** The confidential-computing platforms a guest can run on, each with its accept factory. */
public enum Platform {
  /** Intel TDX. */
  TDX(TdxPlatform::new),
  /** AMD SEV-SNP. */
  SNP(SnpPlatform::new),
  /** A plain VM: no memory encryption, no unaccepted memory. */
  NONE(costs -> new NonePlatform());

  private final Function<AcceptCosts, AcceptPlatform> factory;

  Platform(Function<AcceptCosts, AcceptPlatform> factory) {
    this.factory = factory;
  }

  /** Returns a platform that charges from {@code costs}. */
  public AcceptPlatform create(AcceptCosts costs) {
    return factory.apply(costs);
  }

  /** Returns whether guests on this platform have unaccepted memory. */
  public boolean confidential() {
    return this != NONE;
  }

  /** Returns the platform with this name (case-insensitive; "SEV-SNP" is SNP). */
  public static Platform ofName(String name) {
    String n = name.trim().toUpperCase(Locale.ROOT).replace("SEV-", "").replace("SEV_", "");
    for (Platform p : values()) {
      if (p.name().equals(n)) {
        return p;
      }
    }
    throw new IllegalArgumentException("unknown platform '" + name + "' (use TDX, SNP or NONE)");
  }
}
