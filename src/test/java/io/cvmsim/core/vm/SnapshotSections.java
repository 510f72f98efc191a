package io.cvmsim.core.vm;

import io.cvmsim.core.snapshot.Section;
import io.cvmsim.core.snapshot.SectionId;
import io.cvmsim.core.snapshot.SectionInput;
import io.cvmsim.core.snapshot.SectionOutput;
import io.cvmsim.core.snapshot.SnapshotFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Rewrites sections of a snapshot and seals it again with valid checksums, as a hostile client
 * would: what the reader then refuses, it refuses for what the sections say, not for a checksum.
 * The layouts follow docs/SNAPSHOT.md.
 */
final class SnapshotSections {

  private SnapshotSections() {}

  static final long NO_LIMIT = Long.MAX_VALUE;

  /** Returns the sections of a snapshot. */
  static List<Section> of(byte[] snapshot) {
    return SnapshotFormat.decode(snapshot, NO_LIMIT);
  }

  /** Returns the snapshot with section {@code id}'s body replaced by {@code rewrite}'s answer. */
  static byte[] rewrite(byte[] snapshot, SectionId id, Function<Section, Section> rewrite) {
    List<Section> out = new ArrayList<>();
    boolean found = false;
    for (Section s : of(snapshot)) {
      if (s.id() == id.id()) {
        found = true;
        Section n = rewrite.apply(s);
        if (n != null) {
          out.add(n);
        }
      } else {
        out.add(s);
      }
    }
    if (!found) {
      throw new IllegalArgumentException("no section " + id);
    }
    return SnapshotFormat.encode(out);
  }

  /** Returns the snapshot with {@code extra} added in id order. */
  static byte[] add(byte[] snapshot, Section extra) {
    List<Section> out = new ArrayList<>(of(snapshot));
    int i = 0;
    while (i < out.size() && out.get(i).id() < extra.id()) {
      i++;
    }
    out.add(i, extra);
    return SnapshotFormat.encode(out);
  }

  /** FREE_LISTS as lists[zone][order][migratetype] of head pfns, in list order. */
  static long[][][][] freeLists(Section s) {
    SectionInput in = new SectionInput(s);
    int zones = (int) in.uvar();
    int orders = (int) in.uvar();
    int mts = (int) in.uvar();
    long[][][][] lists = new long[zones][orders][mts][];
    for (int z = 0; z < zones; z++) {
      for (int o = 0; o < orders; o++) {
        for (int m = 0; m < mts; m++) {
          long[] pfns = new long[(int) in.uvar()];
          long unit = 0;
          for (int k = 0; k < pfns.length; k++) {
            unit += in.svar();
            pfns[k] = unit << o;
          }
          lists[z][o][m] = pfns;
        }
      }
    }
    in.end();
    return lists;
  }

  /** Encodes FREE_LISTS. */
  static Section freeLists(long[][][][] lists) {
    SectionOutput o = new SectionOutput();
    o.uvar(lists.length).uvar(lists[0].length).uvar(lists[0][0].length);
    for (long[][][] zone : lists) {
      for (int ord = 0; ord < zone.length; ord++) {
        for (long[] list : zone[ord]) {
          o.uvar(list.length);
          long prev = 0;
          for (long pfn : list) {
            o.svar((pfn >>> ord) - prev);
            prev = pfn >>> ord;
          }
        }
      }
    }
    return o.toSection(SectionId.FREE_LISTS, 1);
  }

  /** LIVE as {pfn, order | migratetype << 4} pairs, ascending. */
  static List<long[]> live(Section s) {
    SectionInput in = new SectionInput(s);
    int n = (int) in.uvar();
    List<long[]> out = new ArrayList<>();
    long pfn = 0;
    for (int k = 0; k < n; k++) {
      pfn += in.uvar();
      out.add(new long[] {pfn, in.u8()});
    }
    in.end();
    return out;
  }

  /** Encodes LIVE. */
  static Section live(List<long[]> entries) {
    List<long[]> sorted = new ArrayList<>(entries);
    sorted.sort((a, b) -> Long.compare(a[0], b[0]));
    SectionOutput o = new SectionOutput();
    o.uvar(sorted.size());
    long prev = 0;
    for (long[] e : sorted) {
      o.uvar(e[0] - prev).u8((int) e[1]);
      prev = e[0];
    }
    return o.toSection(SectionId.LIVE, 1);
  }
}
