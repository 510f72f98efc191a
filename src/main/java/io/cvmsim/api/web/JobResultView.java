package io.cvmsim.api.web;

/**
 * How the jobs endpoint shows one kind of job result: as the JSON its own endpoint answers and as
 * CSV. The controller that starts such jobs provides it as a bean, so that {@code GET
 * /api/v1/jobs/{id}} answers a finished job the way the endpoint that started it would have.
 *
 * @param <T> the core's result type
 */
public interface JobResultView<T> {

  /** Returns the result type this view shows. */
  Class<T> type();

  /** Returns the JSON answer for {@code result}. */
  Object json(T result);

  /** Returns {@code result} as CSV with a header line. */
  String csv(T result);
}
