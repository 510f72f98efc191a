package io.cvmsim.api.web;

import io.cvmsim.core.SimulatorException;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.function.Function;

/**
 * One page of a list: the envelope of every list endpoint.
 *
 * @param items the elements of this page
 * @param page the page number, from 0
 * @param size the page size asked for
 * @param total the number of elements in all pages
 */
@Schema(description = "One page of a list")
public record PageResponse<T>(
    @Schema(description = "The elements of this page") List<T> items,
    @Schema(description = "The page number, from 0", example = "0") int page,
    @Schema(description = "The page size asked for (1..1000)", example = "20") int size,
    @Schema(description = "The number of elements in all pages", example = "3") long total) {

  /** The largest page size. */
  public static final int MAX_SIZE = 1000;

  /**
   * Returns page {@code page} of {@code size} elements of {@code all}, each mapped by {@code map}.
   *
   * @throws SimulatorException 400 for a negative page or a size outside 1..1000
   */
  public static <S, T> PageResponse<T> of(List<S> all, int page, int size, Function<S, T> map) {
    if (page < 0) {
      throw SimulatorException.badRequest("page", "page must not be negative, got " + page);
    }
    if (size < 1 || size > MAX_SIZE) {
      throw SimulatorException.badRequest(
          "size", "size must be between 1 and " + MAX_SIZE + ", got " + size);
    }
    long from = (long) page * size;
    List<T> items =
        from >= all.size()
            ? List.of()
            : all.subList((int) from, (int) Math.min(all.size(), from + size)).stream()
                .map(map)
                .toList();
    return new PageResponse<>(items, page, size, all.size());
  }
}
