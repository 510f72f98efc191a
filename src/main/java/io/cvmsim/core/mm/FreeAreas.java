package io.cvmsim.core.mm;

import io.cvmsim.core.memory.LongIntMap;
import io.cvmsim.core.memory.MigrateType;
import io.cvmsim.core.memory.Sizes;
import java.util.Arrays;

/**
 * Every zone's {@code free_area[order].free_list[migratetype]}: doubly linked lists of free buddy
 * blocks, in struct-of-arrays nodes, with a hash index from a block's head pfn to its node (what
 * PageBuddy() and buddy_order() answer in the kernel). About 40 bytes per free block, none per
 * page. Not thread safe.
 */
final class FreeAreas {

  static final int NIL = -1;
  private static final int MT = MigrateType.COUNT;
  private static final int ORDERS = Sizes.NR_ORDERS;

  private final LongIntMap index = new LongIntMap(1024);
  private long[] pfn = new long[256];
  private int[] next = new int[256];
  private int[] prev = new int[256];
  private byte[] order = new byte[256];
  private byte[] mt = new byte[256];
  private byte[] zone = new byte[256];
  private int[] freeNodes = new int[256];
  private int freeTop;
  private int used;

  private final int[] head;
  private final int[] tail;
  private final int[] count;
  private final long[] nrFree;

  FreeAreas(int zones) {
    head = new int[zones * ORDERS * MT];
    tail = new int[zones * ORDERS * MT];
    count = new int[zones * ORDERS * MT];
    nrFree = new long[zones * ORDERS];
    Arrays.fill(head, NIL);
    Arrays.fill(tail, NIL);
  }

  private static int list(int z, int o, int m) {
    return (z * ORDERS + o) * MT + m;
  }

  /** Returns the node of the free block whose head is {@code p}, or NIL. */
  int find(long p) {
    return index.get(p, NIL);
  }

  long pfn(int node) {
    return pfn[node];
  }

  int order(int node) {
    return order[node];
  }

  int migratetype(int node) {
    return mt[node];
  }

  int zone(int node) {
    return zone[node];
  }

  /** Returns the first block of a list (get_page_from_free_area), or NIL. */
  int first(int z, int o, int m) {
    return head[list(z, o, m)];
  }

  /** Returns the block after {@code node} on its list, or NIL. */
  int next(int node) {
    return next[node];
  }

  /** Returns the last block of a list, or NIL. */
  int last(int z, int o, int m) {
    return tail[list(z, o, m)];
  }

  /** Returns the block before {@code node} on its list, or NIL. */
  int prev(int node) {
    return prev[node];
  }

  /**
   * Rotates {@code node}'s list so that {@code node} comes first, the blocks before it moving to
   * the tail in their order ({@code move_freelist_head()} of mm/compaction.c).
   */
  void rotateToHead(int node) {
    int l = list(zone[node], order[node], mt[node]);
    if (head[l] == node) {
      return;
    }
    int oldHead = head[l];
    int newTail = prev[node];
    next[tail[l]] = oldHead;
    prev[oldHead] = tail[l];
    next[newTail] = NIL;
    prev[node] = NIL;
    head[l] = node;
    tail[l] = newTail;
  }

  /**
   * Rotates {@code node}'s list so that {@code node} comes last, the blocks after it moving to the
   * head in their order ({@code move_freelist_tail()} of mm/compaction.c).
   */
  void rotateToTail(int node) {
    int l = list(zone[node], order[node], mt[node]);
    if (tail[l] == node) {
      return;
    }
    rotateToHead(next[node]);
  }

  /** Returns whether a list is empty (free_area_empty). */
  boolean isEmpty(int z, int o, int m) {
    return head[list(z, o, m)] == NIL;
  }

  /** Returns the blocks on one list. */
  int count(int z, int o, int m) {
    return count[list(z, o, m)];
  }

  /** Returns free_area[o].nr_free of zone z: blocks of that order, all types. */
  long nrFree(int z, int o) {
    return nrFree[z * ORDERS + o];
  }

  /** Adds a free block to the head or tail of its list (__add_to_free_list). */
  int add(int z, long p, int o, int m, boolean atTail) {
    int n = allocNode();
    pfn[n] = p;
    order[n] = (byte) o;
    mt[n] = (byte) m;
    zone[n] = (byte) z;
    link(n, list(z, o, m), atTail);
    index.put(p, n);
    nrFree[z * ORDERS + o]++;
    return n;
  }

  /** Removes a free block (del_page_from_free_list). */
  void remove(int n) {
    unlink(n, list(zone[n], order[n], mt[n]));
    index.remove(pfn[n], NIL);
    nrFree[zone[n] * ORDERS + order[n]]--;
    freeNodes[freeTop++] = n;
    used--;
  }

  /** Moves a free block to the tail of another type's list (move_to_free_list). */
  void moveToTail(int n, int newMt) {
    unlink(n, list(zone[n], order[n], mt[n]));
    mt[n] = (byte) newMt;
    link(n, list(zone[n], order[n], newMt), true);
  }

  private void link(int n, int l, boolean atTail) {
    if (atTail) {
      prev[n] = tail[l];
      next[n] = NIL;
      if (tail[l] != NIL) {
        next[tail[l]] = n;
      } else {
        head[l] = n;
      }
      tail[l] = n;
    } else {
      next[n] = head[l];
      prev[n] = NIL;
      if (head[l] != NIL) {
        prev[head[l]] = n;
      } else {
        tail[l] = n;
      }
      head[l] = n;
    }
    count[l]++;
  }

  private void unlink(int n, int l) {
    int p = prev[n];
    int x = next[n];
    if (p != NIL) {
      next[p] = x;
    } else {
      head[l] = x;
    }
    if (x != NIL) {
      prev[x] = p;
    } else {
      tail[l] = p;
    }
    count[l]--;
  }

  private int allocNode() {
    used++;
    if (freeTop > 0) {
      return freeNodes[--freeTop];
    }
    int n = used - 1;
    if (n == pfn.length) {
      int cap = pfn.length * 2;
      pfn = Arrays.copyOf(pfn, cap);
      next = Arrays.copyOf(next, cap);
      prev = Arrays.copyOf(prev, cap);
      order = Arrays.copyOf(order, cap);
      mt = Arrays.copyOf(mt, cap);
      zone = Arrays.copyOf(zone, cap);
      freeNodes = Arrays.copyOf(freeNodes, cap);
    }
    return n;
  }

  /** Returns the number of free blocks. */
  int blocks() {
    return used;
  }

  /** Returns the heap held, in bytes. */
  long heapBytes() {
    return index.heapBytes() + pfn.length * (8L + 4 + 4 + 1 + 1 + 1 + 4) + 16L * head.length;
  }
}
