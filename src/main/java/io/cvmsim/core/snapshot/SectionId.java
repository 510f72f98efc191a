package io.cvmsim.core.snapshot;

/**
 * The sections a snapshot of format version 1 may hold, by id, in the order they appear. A section
 * that a newer structure adds gets the next free id; an older snapshot without it restores that
 * structure empty, and an older reader refuses a snapshot holding it (unless its id carries {@link
 * #OPTIONAL_BIT}, then it skips it). Ids are never reused.
 */
public enum SectionId {
  /** The end of the payload; always last, empty. */
  END(0),
  /** The guest's id, name, creation time and the service version that wrote it. */
  IDENTITY(1),
  /** What the guest was created from. */
  SPEC(2),
  /** The firmware's UEFI memory map. */
  MEMORY_MAP(3),
  /** The acceptance and boot cost models the guest runs with. */
  COSTS(4),
  /** How far the guest booted, the boot timeline, where the table and the kernel lie. */
  BOOT(5),
  /** The hypervisor's side: backed ranges and counters. */
  HOST(6),
  /** The accept log's tail and its total count. */
  ACCEPT_LOG(7),
  /** The unaccepted memory table and its bitmap (after the EFI stub). */
  UNACCEPTED(8),
  /** memblock's RAM and reserved ranges (after the kernel booted). */
  MEMBLOCK(9),
  /** Every zone's span, counters, watermarks and lowmem reserves; totalreserve_pages. */
  ZONES(10),
  /** The vm.* sysctls. */
  SYSCTLS(11),
  /** The node-wide event counters. */
  VMSTAT(12),
  /** Every free list, in list order. */
  FREE_LISTS(13),
  /** The pageblocks whose migrate type is not MOVABLE. */
  PAGEBLOCKS(14),
  /** Every zone's parked unaccepted chunks, in FIFO order. */
  PARKED(15),
  /** The live allocations. */
  LIVE(16),
  /** The extfrag tracepoint counts and the ring of recent events. */
  EXTFRAG(17),
  /**
   * Every CPU's per-cpu page lists of every zone, their sizing, and the zone flags they drive;
   * optional by absence: a snapshot without it restores the lists empty, sized as at boot.
   */
  PCP_LISTS(18),
  /**
   * Compaction's state: its counters, every zone's scanner positions and deferral, the pageblock
   * skip hints, compound heads, the handles of migrated allocations and kcompactd's pending
   * request; optional by absence: a snapshot without it restores a guest that never compacted.
   */
  COMPACTION(19);

  /** Set in an id whose section a reader that does not know it may skip. */
  public static final int OPTIONAL_BIT = 0x8000;

  private final int id;

  SectionId(int id) {
    this.id = id;
  }

  /** Returns the id as written. */
  public int id() {
    return id;
  }

  /** Returns the section with this id, or null. */
  public static SectionId of(int id) {
    for (SectionId s : values()) {
      if (s.id == id) {
        return s;
      }
    }
    return null;
  }

  /** Returns the name of an id for messages. */
  public static String nameOf(int id) {
    SectionId s = of(id);
    return s != null ? s.name() : "#" + id;
  }
}
