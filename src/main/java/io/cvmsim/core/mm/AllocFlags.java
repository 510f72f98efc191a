package io.cvmsim.core.mm;

/** Models the ALLOC_* flags of mm/internal.h (values as in 6.5; ALLOC_TRYLOCK is mainline). */
final class AllocFlags {
  static final int WMARK_MIN = 0;
  static final int WMARK_LOW = 1;
  static final int WMARK_HIGH = 2;
  static final int NO_WATERMARKS = 0x04;
  static final int WMARK_MASK = NO_WATERMARKS - 1;
  static final int OOM = 0x08;
  static final int NON_BLOCK = 0x10;
  static final int MIN_RESERVE = 0x20;
  static final int CPUSET = 0x40;
  static final int CMA = 0x80;
  static final int NOFRAGMENT = 0x100;
  static final int HIGHATOMIC = 0x200;
  static final int TRYLOCK = 0x400;
  static final int KSWAPD = 0x800;
  static final int RESERVES = NON_BLOCK | MIN_RESERVE | HIGHATOMIC | OOM;

  private AllocFlags() {}
}
