package io.cvmsim.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.cvmsim.api.DocumentedApi.Answer;
import io.cvmsim.core.vm.GuestVm;
import io.cvmsim.core.vm.VmRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Thousands of mixed requests from 16 threads over HTTP against a few VMs (allocate, free, accept,
 * views, delete and recreate): no 5xx, every VM's invariants hold afterwards, and deleted VMs
 * answer 404. Prints its seed; rerun with -Dcvmsim.test.seed=... to repeat a schedule's choices.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
class ApiConcurrencyTest {

  static final int THREADS = 16;
  static final int REQUESTS_PER_THREAD = 250;
  static final int VMS = 3;
  static final List<String> VIEWS =
      List.of("meminfo", "vmstat", "buddyinfo", "pagetypeinfo", "zoneinfo", "extfrag");
  static final List<String> GFPS =
      List.of("GFP_KERNEL", "GFP_HIGHUSER_MOVABLE", "GFP_KERNEL_RECLAIMABLE", "GFP_DMA32");

  @LocalServerPort int port;
  @Autowired VmRegistry registry;

  @AfterEach
  void deleteVms() {
    TestVms.deleteAll(registry);
  }

  @Test
  void mixedRequestsFrom16Threads_keepEveryVmConsistent() throws Exception {
    long seed = Long.getLong("cvmsim.test.seed", System.nanoTime());
    System.out.println("ApiConcurrencyTest seed " + seed);
    DocumentedApi api = new DocumentedApi(port);
    AtomicReferenceArray<String> ids = new AtomicReferenceArray<>(VMS);
    List<Queue<Long>> live = new ArrayList<>();
    for (int v = 0; v < VMS; v++) {
      ids.set(v, create(api, v));
      live.add(new ConcurrentLinkedQueue<>());
    }
    Set<String> deleted = ConcurrentHashMap.newKeySet();
    Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    List<String> unexpected = new java.util.concurrent.CopyOnWriteArrayList<>();

    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      Random rnd = new Random(seed + t);
      done.add(
          pool.submit(
              () -> {
                for (int i = 0; i < REQUESTS_PER_THREAD; i++) {
                  int v = rnd.nextInt(VMS);
                  String id = ids.get(v);
                  int op = rnd.nextInt(1000);
                  Answer a;
                  String what;
                  if (op < 350) {
                    what = "allocate";
                    a =
                        api.call(
                            "POST",
                            "/api/v1/vms/{id}/allocations",
                            "{\"order\":"
                                + rnd.nextInt(4)
                                + ",\"count\":"
                                + (1 + rnd.nextInt(64))
                                + ",\"gfp\":\""
                                + GFPS.get(rnd.nextInt(GFPS.size()))
                                + "\"}",
                            id);
                    if (a.status() == 201) {
                      a.json()
                          .get("allocations")
                          .forEach(x -> live.get(v).add(x.get("pfn").asLong()));
                    }
                  } else if (op < 600) {
                    what = "free";
                    List<Long> pfns = new ArrayList<>();
                    for (int k = 0; k < 32; k++) {
                      Long p = live.get(v).poll();
                      if (p == null) {
                        break;
                      }
                      pfns.add(p);
                    }
                    a =
                        api.call(
                            "POST",
                            "/api/v1/vms/{id}/frees",
                            "{\"pfns\":" + pfns.toString().replace(" ", "") + "}",
                            id);
                  } else if (op < 750) {
                    what = "accept";
                    long start = (long) rnd.nextInt(1024) << 21;
                    a =
                        api.call(
                            "POST",
                            "/api/v1/vms/{id}/accept",
                            "{\"start\":" + start + ",\"end\":" + (start + (2L << 20)) + "}",
                            id);
                  } else if (op < 995) {
                    what = "view";
                    String view = VIEWS.get(rnd.nextInt(VIEWS.size()));
                    a =
                        rnd.nextBoolean()
                            ? api.call("GET", "/api/v1/vms/{id}/" + view, null, id)
                            : api.call(
                                "GET", "/api/v1/vms/{id}/" + view, "text/plain", null, null, id);
                  } else {
                    what = "delete";
                    a = api.call("DELETE", "/api/v1/vms/{id}", null, id);
                    if (a.status() == 204) {
                      deleted.add(id);
                      live.get(v).clear();
                      ids.compareAndSet(v, id, create(api, v));
                    }
                  }
                  statuses.computeIfAbsent(a.status(), s -> new AtomicInteger()).incrementAndGet();
                  // 404: the VM was deleted meanwhile; 422: a pfn of a deleted VM's generation
                  boolean ok =
                      a.status() < 300
                          || a.status() == 404
                          || (a.status() == 422 && what.equals("free"));
                  if (!ok) {
                    unexpected.add(what + " -> " + a.status() + " " + a.text());
                  }
                }
                return null;
              }));
    }
    for (Future<?> f : done) {
      f.get();
    }
    pool.shutdown();

    System.out.println("ApiConcurrencyTest statuses " + statuses);
    assertThat(unexpected).as("seed " + seed).isEmpty();
    assertThat(statuses.keySet()).allMatch(s -> s < 500);
    int total = statuses.values().stream().mapToInt(AtomicInteger::get).sum();
    assertThat(total).isEqualTo(THREADS * REQUESTS_PER_THREAD);
    for (GuestVm vm : registry.list()) {
      vm.checkInvariants();
    }
    for (String id : deleted) {
      assertThat(api.call("GET", "/api/v1/vms/{id}", null, id).status()).isEqualTo(404);
      assertThat(api.call("GET", "/api/v1/vms/{id}/meminfo", null, id).status()).isEqualTo(404);
    }
  }

  private static String create(DocumentedApi api, int v) {
    try {
      Answer a =
          api.call(
              "POST",
              "/api/v1/vms",
              "{\"memory\":\"2GiB\",\"vcpus\":2,\"name\":\"conc-"
                  + v
                  + "-"
                  + System.nanoTime()
                  + "\"}");
      assertThat(a.status()).as(a.text()).isEqualTo(201);
      return a.json().get("id").asString();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
