package io.cvmsim.api.web;

import java.util.List;
import java.util.Optional;

/** Every {@link JobResultView} of the application, found by a result's type. */
public final class JobResults {

  private final List<JobResultView<?>> views;

  /** Holds {@code views} (none in a test slice that does not import them). */
  public JobResults(List<JobResultView<?>> views) {
    this.views = List.copyOf(views);
  }

  /** Returns {@code result} as its view's JSON, or unchanged when no view shows its type. */
  public Object json(Object result) {
    JobResultView<Object> v = view(result);
    return v == null ? result : v.json(result);
  }

  /** Returns {@code result} as CSV, or empty when no view shows its type. */
  public Optional<String> csv(Object result) {
    JobResultView<Object> v = view(result);
    return v == null ? Optional.empty() : Optional.of(v.csv(result));
  }

  @SuppressWarnings("unchecked")
  private JobResultView<Object> view(Object result) {
    if (result == null) {
      return null;
    }
    for (JobResultView<?> v : views) {
      if (v.type().isInstance(result)) {
        return (JobResultView<Object>) v;
      }
    }
    return null;
  }
}
