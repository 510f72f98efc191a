package io.cvmsim.core.vm;

import io.cvmsim.core.SimulatorException;
import io.cvmsim.core.memory.Sizes;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The live guests of this service, by id and by unique name, within the configured limits. A guest
 * is registered only after it was built and booted completely, so a refused or failed creation
 * leaves nothing behind. Thread safe.
 */
public final class VmRegistry {

  private static final char[] ID_CHARS = "abcdefghijkmnpqrstuvwxyz23456789".toCharArray();

  private final VmLimits limits;
  private final VmSettings settings;
  private final Map<String, GuestVm> byId = new ConcurrentHashMap<>();
  private final Map<String, String> idByName = new ConcurrentHashMap<>();
  private final SecureRandom random = new SecureRandom();
  private final List<Consumer<GuestVm>> onAdd = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final List<Consumer<GuestVm>> onRemove =
      new java.util.concurrent.CopyOnWriteArrayList<>();
  private final Set<String> reservedIds = new HashSet<>();
  private long reservedMemory;
  private int reservedVms;

  /** Creates an empty registry. */
  public VmRegistry(VmLimits limits, VmSettings settings) {
    this.limits = limits;
    this.settings = settings;
  }

  /** Returns the limits. */
  public VmLimits limits() {
    return limits;
  }

  /** Returns the settings guests are built with. */
  public VmSettings settings() {
    return settings;
  }

  /** Calls {@code listener} for every guest added from now on. */
  public void onAdd(Consumer<GuestVm> listener) {
    onAdd.add(listener);
  }

  /** Calls {@code listener} for every guest removed from now on. */
  public void onRemove(Consumer<GuestVm> listener) {
    onRemove.add(listener);
  }

  /**
   * Builds, boots and registers a guest.
   *
   * @throws SimulatorException 409 for a name in use, 413 over the per-guest limit, 503 at capacity
   *     (too many guests or too much memory in total), or whatever building refused
   */
  public GuestVm create(VmSpec spec) {
    checkPerVm(spec);
    String id = newId();
    reserve(id, spec);
    GuestVm vm = null;
    try {
      vm = GuestVm.create(id, spec, settings);
    } finally {
      settle(id, spec, vm);
    }
    return vm;
  }

  /**
   * Restores the guest a snapshot holds (docs/SNAPSHOT.md) and registers it, within the same limits
   * as {@link #create}: the snapshot is checked whole, and the guest admitted, before anything is
   * registered.
   *
   * @param snapshot the snapshot's bytes
   * @param name the name to give the guest, or null to keep the snapshot's
   * @param keepId restore the guest under the snapshot's id (a restart), not a new one (an import)
   * @throws SimulatorException 400 for a malformed, truncated or corrupted snapshot or an unknown
   *     format version, 409 for a name or id in use, 413 over a limit, 422 for an impossible guest,
   *     503 at capacity
   */
  public GuestVm restore(byte[] snapshot, String name, boolean keepId) {
    VmSnapshot.Head[] admitted = {null};
    GuestVm vm = null;
    try {
      vm =
          VmSnapshot.read(
              snapshot,
              limits.maxSnapshotBytes(),
              settings,
              head -> {
                VmSpec spec = name == null ? head.spec() : head.spec().withName(name);
                String id = keepId ? head.id() : newId();
                checkPerVm(spec);
                reserve(id, spec);
                admitted[0] = new VmSnapshot.Head(id, spec, head.createdAt());
                return admitted[0];
              });
    } finally {
      if (admitted[0] != null) {
        settle(admitted[0].id(), admitted[0].spec(), vm);
      }
    }
    return vm;
  }

  private void checkPerVm(VmSpec spec) {
    long ram = spec.ramBytes();
    if (ram > limits.maxMemoryPerVm()) {
      throw SimulatorException.tooLarge(
          spec.memoryBytes() != null ? "memory" : "efiMemoryMap",
          "the guest would have "
              + Sizes.format(ram)
              + " of RAM, over cvmsim.limits.max-memory-per-vm ("
              + Sizes.format(limits.maxMemoryPerVm())
              + ")");
    }
  }

  /** Holds a place for a guest being built: its name, id, one VM and its RAM. */
  private synchronized void reserve(String id, VmSpec spec) {
    if (spec.name() != null && idByName.containsKey(spec.name())) {
      throw SimulatorException.conflict("a VM named '" + spec.name() + "' already exists");
    }
    if (byId.containsKey(id) || reservedIds.contains(id)) {
      throw SimulatorException.conflict("a VM with id '" + id + "' already exists");
    }
    if (byId.size() + reservedVms >= limits.maxVms()) {
      throw new SimulatorException(
          SimulatorException.Kind.AT_CAPACITY,
          null,
          "the service holds its maximum of " + limits.maxVms() + " VMs; delete one first");
    }
    if (totalMemory() + reservedMemory + spec.ramBytes() > limits.maxTotalMemory()) {
      throw new SimulatorException(
          SimulatorException.Kind.AT_CAPACITY,
          null,
          "all VMs together would exceed cvmsim.limits.max-total-memory ("
              + Sizes.format(limits.maxTotalMemory())
              + "); delete a VM first");
    }
    reservedVms++;
    reservedMemory += spec.ramBytes();
    reservedIds.add(id);
    if (spec.name() != null) {
      idByName.put(spec.name(), "");
    }
  }

  /** Ends a reservation: registers {@code vm} if it was built, frees the place if not. */
  private void settle(String id, VmSpec spec, GuestVm vm) {
    synchronized (this) {
      reservedVms--;
      reservedMemory -= spec.ramBytes();
      reservedIds.remove(id);
      if (vm == null && spec.name() != null) {
        idByName.remove(spec.name());
      }
      if (vm != null) {
        byId.put(vm.id(), vm);
        if (spec.name() != null) {
          idByName.put(spec.name(), vm.id());
        }
      }
    }
    if (vm != null) {
      for (Consumer<GuestVm> l : onAdd) {
        l.accept(vm);
      }
    }
  }

  private String newId() {
    while (true) {
      char[] c = new char[10];
      for (int i = 0; i < c.length; i++) {
        c[i] = ID_CHARS[random.nextInt(ID_CHARS.length)];
      }
      String id = "vm-" + new String(c);
      if (!byId.containsKey(id)) {
        return id;
      }
    }
  }

  /**
   * Returns the guest with this id (or, failing that, this name).
   *
   * @throws SimulatorException 404 if there is none
   */
  public GuestVm get(String idOrName) {
    GuestVm vm = byId.get(idOrName);
    if (vm == null) {
      String id = idByName.get(idOrName);
      vm = id == null || id.isEmpty() ? null : byId.get(id);
    }
    if (vm == null || vm.isDeleted()) {
      throw SimulatorException.notFound("no VM with id or name '" + idOrName + "'");
    }
    return vm;
  }

  /** Deletes a guest; its series and jobs go with it. */
  public void delete(String idOrName) {
    GuestVm vm = get(idOrName);
    synchronized (this) {
      if (byId.remove(vm.id()) == null) {
        throw SimulatorException.notFound("no VM with id or name '" + idOrName + "'");
      }
      if (vm.name() != null) {
        idByName.remove(vm.name());
      }
    }
    vm.delete();
    for (Consumer<GuestVm> l : onRemove) {
      l.accept(vm);
    }
  }

  /** Returns the live guests, oldest first. */
  public List<GuestVm> list() {
    List<GuestVm> out = new ArrayList<>(byId.values());
    out.sort(Comparator.comparing(GuestVm::createdAt).thenComparing(GuestVm::id));
    return out;
  }

  /** Returns the number of live guests. */
  public int size() {
    return byId.size();
  }

  /** Returns the RAM of all live guests. */
  public long totalMemory() {
    long sum = 0;
    for (GuestVm vm : byId.values()) {
      sum += vm.spec().ramBytes();
    }
    return sum;
  }
}
