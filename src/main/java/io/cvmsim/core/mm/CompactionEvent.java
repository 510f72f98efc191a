package io.cvmsim.core.mm;

/**
 * The tracepoints of include/trace/events/compaction.h that the simulator fires, counted per guest:
 * where the kernel would emit {@code compaction:mm_compaction_<name>}, the simulator adds one to
 * that event's count.
 */
enum CompactionEvent {
  /** compact_zone() starts. */
  BEGIN("mm_compaction_begin"),
  /** compact_zone() ends. */
  END("mm_compaction_end"),
  /** compact_finished(), once per loop of compact_zone(). */
  FINISHED("mm_compaction_finished"),
  /** compaction_suitable(). */
  SUITABLE("mm_compaction_suitable"),
  /** compaction_deferred() said to skip. */
  DEFERRED("mm_compaction_deferred"),
  /** defer_compaction(). */
  DEFER_COMPACTION("mm_compaction_defer_compaction"),
  /** compaction_defer_reset(). */
  DEFER_RESET("mm_compaction_defer_reset"),
  /** isolate_migratepages_block(). */
  ISOLATE_MIGRATEPAGES("mm_compaction_isolate_migratepages"),
  /** isolate_freepages_block(). */
  ISOLATE_FREEPAGES("mm_compaction_isolate_freepages"),
  /** fast_isolate_freepages(). */
  FAST_ISOLATE_FREEPAGES("mm_compaction_fast_isolate_freepages"),
  /** compact_zone() after migrate_pages(). */
  MIGRATEPAGES("mm_compaction_migratepages"),
  /** try_to_compact_pages(). */
  TRY_TO_COMPACT_PAGES("mm_compaction_try_to_compact_pages"),
  /** wakeup_kcompactd() woke kcompactd. */
  WAKEUP_KCOMPACTD("mm_compaction_wakeup_kcompactd"),
  /** kcompactd_do_work(). */
  KCOMPACTD_WAKE("mm_compaction_kcompactd_wake");

  private final String tracepoint;

  CompactionEvent(String tracepoint) {
    this.tracepoint = tracepoint;
  }

  /** Returns the tracepoint's name as ftrace prints it. */
  String tracepoint() {
    return tracepoint;
  }
}
