package io.cvmsim.support;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Checks, after every test, the invariants of every guest and allocator the test created through
 * the test factories ({@code TestGuests}, {@code Guests}, {@code TestVms}): a test that leaves a
 * structure broken fails even if it asserted nothing about it. Registered for all tests through
 * META-INF/services and junit-platform.properties.
 */
public final class InvariantsExtension implements AfterEachCallback {

  private static final List<Runnable> CHECKS = new ArrayList<>();

  /** Returns {@code thing}, to be checked with {@code check} when the current test ends. */
  public static <T> T track(T thing, Consumer<T> check) {
    synchronized (CHECKS) {
      CHECKS.add(() -> check.accept(thing));
    }
    return thing;
  }

  @Override
  public void afterEach(ExtensionContext context) {
    List<Runnable> checks;
    synchronized (CHECKS) {
      checks = new ArrayList<>(CHECKS);
      CHECKS.clear();
    }
    if (context.getExecutionException().isPresent()) {
      return;
    }
    for (Runnable check : checks) {
      check.run();
    }
  }
}
