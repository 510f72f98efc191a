package io.cvmsim.core.firmware;

/**
 * Models {@code struct efi_unaccepted_memory} (include/linux/efi.h): version 1, the unit size in
 * bytes per bit, the physical address of bit 0, the bitmap length in bytes as the kernel stores it,
 * and the bitmap itself (set bit = unit not yet accepted).
 *
 * <p>Not thread safe by itself: the kernel side ({@code UnacceptedMemory}) guards it with its lock.
 */
public final class UnacceptedTable {

  /** The only table version Linux understands. */
  public static final int VERSION = 1;

  /** Bytes of the table header before the bitmap. */
  public static final int HEADER_BYTES = 24;

  private final int version;
  private final long unitSize;
  private final long physBase;
  private final long sizeBytes;
  private final UnitBitmap bitmap;

  /** Creates a table with an all-zero bitmap of {@code sizeBytes * 8} bits. */
  public UnacceptedTable(long unitSize, long physBase, long sizeBytes) {
    this.version = VERSION;
    this.unitSize = unitSize;
    this.physBase = physBase;
    this.sizeBytes = sizeBytes;
    this.bitmap = new UnitBitmap(sizeBytes * 8);
  }

  /** Returns the table version (1). */
  public int version() {
    return version;
  }

  /** Returns the bytes covered by one bit. */
  public long unitSize() {
    return unitSize;
  }

  /** Returns the physical address of bit 0. */
  public long physBase() {
    return physBase;
  }

  /** Returns the bitmap length in bytes (the kernel's {@code size} field). */
  public long sizeBytes() {
    return sizeBytes;
  }

  /** Returns the bytes the bitmap can describe: {@code size * 8 * unit_size}. */
  public long capacityBytes() {
    return sizeBytes * 8 * unitSize;
  }

  /** Returns the bytes of the table in guest memory, header included. */
  public long tableBytes() {
    return HEADER_BYTES + sizeBytes;
  }

  /** Returns the bitmap. */
  public UnitBitmap bitmap() {
    return bitmap;
  }

  /** Returns the bytes still unaccepted according to the bitmap. */
  public long unacceptedBytes() {
    return bitmap.cardinality() * unitSize;
  }
}
