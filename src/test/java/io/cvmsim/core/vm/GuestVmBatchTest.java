package io.cvmsim.core.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cvmsim.core.SimulatorException;
import io.cvmsim.core.TestGuests;
import io.cvmsim.core.memory.Gfp;
import io.cvmsim.core.memory.Sizes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Freeing by batch frees exactly what is left of the batch, whatever was freed by pfn. */
class GuestVmBatchTest {

  private static GuestVm guest(VmSettings settings) {
    return TestGuests.create(
        TestGuests.spec("6.5", AcceptPolicy.LAZY, Sizes.GIB), settings.withCheckInvariants(true));
  }

  private static SimulatorException.Kind refusal(Runnable r) {
    try {
      r.run();
    } catch (SimulatorException e) {
      return e.kind();
    }
    return null;
  }

  /**
   * Compaction migrates a batch's movable blocks: each keeps its handle (the pfn the batch lists)
   * and its batch tag, so freeing the batch frees them where they are now, and nothing else.
   */
  @Test
  void freeBatch_afterCompactionMigratedItsBlocks_freesThemWhereTheyAreNow() {
    GuestVm vm =
        TestGuests.create(
            TestGuests.spec("6.12", AcceptPolicy.EAGER, Sizes.GIB),
            VmSettings.DEFAULTS.withCheckInvariants(true));
    long before = vm.memory().liveAllocations();
    long high = 0;
    for (var z : vm.memory().zones()) {
      high += z.watermarks()[2];
    }
    VmViews.Batch fill =
        vm.allocate(Gfp.GFP_HIGHUSER_MOVABLE, 0, (int) (vm.memory().freePages() - 2 * high));
    long[] every2nd = new long[fill.pfns().length / 2];
    for (int i = 0; i < every2nd.length; i++) {
      every2nd[i] = fill.pfns()[2 * i];
    }
    vm.free(every2nd);
    VmViews.Batch light = vm.allocate(Gfp.GFP_TRANSHUGE_LIGHT, Sizes.PAGEBLOCK_ORDER, 1 << 10);
    VmViews.Batch thp = vm.allocate(Gfp.GFP_TRANSHUGE, Sizes.PAGEBLOCK_ORDER, 4);
    assertThat(thp.pfns()).as("THPs by direct compaction").isNotEmpty();
    assertThat(vm.memory().compaction().pgmigrateSuccess()).isPositive();

    assertThat(vm.freeBatch(fill.id())).isEqualTo(fill.pfns().length - every2nd.length);
    assertThat(vm.freeBatch(thp.id())).isEqualTo(thp.pfns().length);
    assertThat(vm.freeBatch(light.id())).isEqualTo(light.pfns().length);
    assertThat(vm.memory().liveAllocations()).isEqualTo(before);
  }

  @Test
  void freeBatch_afterSomeWereFreedByPfnAndHandedOutAgain_freesOnlyWhatIsLeftOfIt() {
    GuestVm vm = guest(VmSettings.DEFAULTS);
    long before = vm.memory().liveAllocations();
    VmViews.Batch a = vm.allocate(Gfp.GFP_KERNEL, 0, 100);
    long[] half = java.util.Arrays.copyOf(a.pfns(), 50);
    vm.free(half);
    VmViews.Batch c = vm.allocate(Gfp.GFP_KERNEL, 0, 50);
    Set<Long> reused = new HashSet<>();
    for (long p : c.pfns()) {
      reused.add(p);
    }
    reused.retainAll(java.util.Arrays.stream(half).boxed().toList());
    assertThat(reused).as("the second batch got pfns the first had").isNotEmpty();

    assertThat(vm.freeBatch(a.id())).isEqualTo(50);

    assertThat(vm.memory().liveAllocations()).isEqualTo(before + 50);
    assertThat(vm.free(c.pfns())).isEqualTo(50);
    assertThat(vm.memory().liveAllocations()).isEqualTo(before);
    assertThat(refusal(() -> vm.freeBatch(c.id()))).isNull();
  }

  @Test
  void aFreedBatch_isForgotten_andSoIsOneThatWasNeverMade() {
    GuestVm vm = guest(VmSettings.DEFAULTS);
    VmViews.Batch a = vm.allocate(Gfp.GFP_HIGHUSER_MOVABLE, 2, 10);
    assertThat(vm.freeBatch(a.id())).isEqualTo(10);
    assertThat(refusal(() -> vm.freeBatch(a.id()))).isEqualTo(SimulatorException.Kind.NOT_FOUND);
    assertThat(refusal(() -> vm.freeBatch(a.id() + 1)))
        .isEqualTo(SimulatorException.Kind.NOT_FOUND);
    assertThat(refusal(() -> vm.freeBatch(0))).isEqualTo(SimulatorException.Kind.NOT_FOUND);
  }

  @Test
  void beyondMaxBatches_theOldestIsForgotten_andItsBlocksStayAllocated() {
    GuestVm vm = guest(VmSettings.DEFAULTS.withBatches(3, Sizes.MIB));
    List<VmViews.Batch> made = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      made.add(vm.allocate(Gfp.GFP_KERNEL, 0, 5));
    }
    assertThatThrownBy(() -> vm.freeBatch(made.get(0).id()))
        .isInstanceOf(SimulatorException.class)
        .hasMessageContaining("latest 3 batches");
    assertThat(vm.free(made.get(0).pfns())).isEqualTo(5);
    for (int i = 1; i < 4; i++) {
      assertThat(vm.freeBatch(made.get(i).id())).isEqualTo(5);
    }
  }

  @Test
  void batchesWithoutAnyBlock_canBeFreed_andFreeNothing() {
    GuestVm vm = guest(VmSettings.DEFAULTS);
    VmViews.Batch dma = vm.allocate(Gfp.GFP_DMA, 10, 1000);
    VmViews.Batch empty = vm.allocate(Gfp.GFP_DMA, 10, 1);
    assertThat(empty.pfns()).isEmpty();
    assertThat(empty.failed()).isEqualTo(1);
    assertThat(vm.freeBatch(empty.id())).isZero();
    assertThat(vm.freeBatch(dma.id())).isEqualTo(dma.pfns().length);
  }

  @Test
  void randomAllocationsAndFrees_byPfnAndByBatch_agreeWithAModelOfWhoOwnsEachBlock() {
    for (long seed = 1; seed <= 3; seed++) {
      SplittableRandom rnd = new SplittableRandom(seed);
      int capacity = 8;
      GuestVm vm = guest(VmSettings.DEFAULTS.withBatches(capacity, 64 * Sizes.MIB));
      long boot = vm.memory().liveAllocations();
      Map<Long, Long> owner = new HashMap<>(); // live head pfn -> batch id
      Collection<Long> remembered = new ArrayList<>();
      for (int step = 0; step < 600; step++) {
        int op = rnd.nextInt(10);
        if (op < 5) {
          VmViews.Batch b =
              vm.allocate(
                  rnd.nextBoolean() ? Gfp.GFP_KERNEL : Gfp.GFP_HIGHUSER_MOVABLE,
                  rnd.nextInt(4),
                  1 + rnd.nextInt(64));
          for (long p : b.pfns()) {
            assertThat(owner.put(p, b.id())).as("seed %d: %d handed out twice", seed, p).isNull();
          }
          remembered.add(b.id());
          // batch i is forgotten when batch i + capacity is made
          remembered.removeIf(id -> id <= b.id() - capacity);
        } else if (op < 8 && !owner.isEmpty()) {
          List<Long> live = new ArrayList<>(owner.keySet());
          long[] some = new long[1 + rnd.nextInt(Math.min(live.size(), 40))];
          java.util.Collections.shuffle(live, new java.util.Random(rnd.nextLong()));
          for (int i = 0; i < some.length; i++) {
            some[i] = live.get(i);
            owner.remove(some[i]);
          }
          vm.free(some);
        } else {
          long id = 1 + rnd.nextInt(step + 1);
          long expected = owner.values().stream().filter(o -> o == id).count();
          if (remembered.remove(id)) {
            assertThat(vm.freeBatch(id))
                .as("seed %d step %d batch %d", seed, step, id)
                .isEqualTo((int) expected);
            owner.values().removeIf(o -> o == id);
          } else {
            assertThat(refusal(() -> vm.freeBatch(id)))
                .as("seed %d step %d batch %d", seed, step, id)
                .isEqualTo(SimulatorException.Kind.NOT_FOUND);
          }
        }
        assertThat(vm.memory().liveAllocations()).isEqualTo(boot + owner.size());
      }
    }
  }
}
