package io.cvmsim.core.memory;

/**
 * Models {@code enum migratetype} (include/linux/mmzone.h) of an x86-64 kernel with CONFIG_CMA and
 * CONFIG_MEMORY_ISOLATION, with the numbers tracepoints print and the names /proc prints.
 */
public enum MigrateType {
  UNMOVABLE("Unmovable"),
  MOVABLE("Movable"),
  RECLAIMABLE("Reclaimable"),
  HIGHATOMIC("HighAtomic"),
  CMA("CMA"),
  ISOLATE("Isolate");

  /** MIGRATE_PCPTYPES: the types that have per-cpu lists and fallbacks. */
  public static final int PCPTYPES = 3;

  /** Number of migrate types (MIGRATE_TYPES). */
  public static final int COUNT = 6;

  private static final MigrateType[] VALUES = values();

  private final String procName;

  MigrateType(String procName) {
    this.procName = procName;
  }

  /** Returns the name printed by /proc/pagetypeinfo ("Unmovable", "Movable", ...). */
  public String procName() {
    return procName;
  }

  /**
   * Returns the migrate type /proc prints with this name.
   *
   * @throws IllegalArgumentException for a name no migrate type has
   */
  public static MigrateType ofProcName(String name) {
    for (MigrateType t : VALUES) {
      if (t.procName.equals(name)) {
        return t;
      }
    }
    throw new IllegalArgumentException("no migrate type is printed as '" + name + "'");
  }

  /** Returns the migrate type with this number. */
  public static MigrateType of(int ordinal) {
    return VALUES[ordinal];
  }
}
