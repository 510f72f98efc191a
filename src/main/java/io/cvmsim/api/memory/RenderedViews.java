package io.cvmsim.api.memory;

import io.cvmsim.core.stats.MemorySnapshot;
import io.cvmsim.core.vm.GuestVm;
import io.cvmsim.core.vm.VmRegistry;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The bodies of the memory views, rendered once per snapshot: a guest rebuilds its snapshot only
 * when its memory changed (the allocator's version), so until then every request for a view gets
 * the same bytes without rendering or serializing again. One entry per guest and view (JSON and
 * kernel text apart), dropped with the guest.
 */
final class RenderedViews {

  private record Key(String vm, String view) {}

  private record Body(MemorySnapshot snapshot, byte[] bytes) {}

  private final ConcurrentHashMap<Key, Body> bodies = new ConcurrentHashMap<>();

  /** Creates an empty cache that forgets a guest when the registry removes it. */
  RenderedViews(VmRegistry registry) {
    registry.onRemove(vm -> bodies.keySet().removeIf(k -> k.vm().equals(vm.id())));
  }

  /** Returns the body of {@code view} for the guest's current memory, rendering it if needed. */
  byte[] body(GuestVm vm, String view, Function<MemorySnapshot, byte[]> render) {
    MemorySnapshot s = vm.memory();
    Key key = new Key(vm.id(), view);
    Body b = bodies.get(key);
    if (b == null || b.snapshot() != s) {
      b = new Body(s, render.apply(s));
      bodies.put(key, b);
      if (vm.isDeleted()) {
        bodies.remove(key);
      }
    }
    return b.bytes();
  }
}
