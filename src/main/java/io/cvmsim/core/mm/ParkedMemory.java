package io.cvmsim.core.mm;

import io.cvmsim.core.accept.AcceptTrigger;
import io.cvmsim.core.accept.UnacceptedMemory;
import io.cvmsim.core.memory.Sizes;
import io.cvmsim.core.memory.WatermarkLevel;

/**
 * Models the page allocator's side of unaccepted memory (mm/page_alloc.c): MAX_ORDER chunks that
 * contain unaccepted memory are parked on their zone's list at hand-over ({@code
 * __free_unaccepted()}), counted in NR_FREE_PAGES and NR_UNACCEPTED, and accepted one at a time,
 * first in first out, when an allocation needs memory ({@code try_to_accept_memory_one()}). Each
 * zone offers accept-on-demand a narrow view, {@link #zone(Zone)}.
 */
final class ParkedMemory {

  private final UnacceptedMemory unaccepted;
  private final boolean eager;
  private final Buddy buddy;
  private final KernelRules rules;
  private final Vmstat vmstat;
  private final ParkedZone[] views;

  ParkedMemory(
      Zone[] zones,
      UnacceptedMemory unaccepted,
      boolean eager,
      Buddy buddy,
      KernelRules rules,
      Vmstat vmstat) {
    this.unaccepted = unaccepted;
    this.eager = eager;
    this.buddy = buddy;
    this.rules = rules;
    this.vmstat = vmstat;
    this.views = new ParkedZone[zones.length];
    for (Zone z : zones) {
      views[z.idx] = new View(z);
    }
  }

  /** Returns the view of one zone that accept-on-demand uses. */
  ParkedZone zone(Zone z) {
    return views[z.idx];
  }

  /**
   * Models {@code __free_unaccepted(page)} for {@code n} consecutive chunks: with {@code
   * accept_memory=eager} it declines (the caller accepts); otherwise the chunks go to the tail of
   * the zone's unaccepted list and count in NR_FREE_PAGES and NR_UNACCEPTED.
   */
  boolean park(Zone z, long pfn, long n) {
    if (eager) {
      return false;
    }
    z.parked.addTail(pfn, n);
    long pages = n << Sizes.MAX_ORDER;
    z.nrFreePages += pages;
    z.nrUnaccepted += pages;
    return true;
  }

  /**
   * Models {@code try_to_accept_memory_one(zone)}: takes the first parked chunk, accepts it
   * (accept_memory on 4 MiB, so the guard unit too), and frees it to the tail of the buddy lists.
   */
  boolean acceptOne(Zone z) {
    long pfn = z.parked.takeFirst();
    if (pfn < 0) {
      return false;
    }
    z.nrFreePages -= Sizes.MAX_ORDER_NR_PAGES;
    z.nrUnaccepted -= Sizes.MAX_ORDER_NR_PAGES;
    long phys = Sizes.phys(pfn);
    unaccepted.acceptMemory(
        phys, phys + (Sizes.PAGE_SIZE << Sizes.MAX_ORDER), AcceptTrigger.ALLOCATOR);
    buddy.freePages(z, pfn, Sizes.MAX_ORDER, true);
    vmstat.acceptedChunks++;
    return true;
  }

  /** One zone as accept-on-demand sees it. */
  private final class View implements ParkedZone {
    private final Zone z;

    View(Zone z) {
      this.z = z;
    }

    @Override
    public boolean hasParked() {
      return !z.parked.isEmpty();
    }

    @Override
    public long wmark(WatermarkLevel level) {
      return z.wmark(level.ordinal());
    }

    @Override
    public long freePages() {
      return z.nrFreePages;
    }

    @Override
    public long unacceptedPages() {
      return z.nrUnaccepted;
    }

    @Override
    public long unusableFree(int order) {
      return rules.unusableFree(z, order, 0);
    }

    @Override
    public boolean acceptOne() {
      return ParkedMemory.this.acceptOne(z);
    }
  }
}
