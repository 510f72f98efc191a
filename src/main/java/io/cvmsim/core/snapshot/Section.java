package io.cvmsim.core.snapshot;

/**
 * One section of a snapshot's payload.
 *
 * @param id what the section holds ({@link SectionId}); ids with {@link SectionId#OPTIONAL_BIT} set
 *     may be skipped by a reader that does not know them
 * @param version the layout of the body, per section
 * @param body the encoded body
 */
public record Section(int id, int version, byte[] body) {

  /** Returns the section's name for messages: its {@link SectionId} or its number. */
  public String name() {
    return SectionId.nameOf(id);
  }
}
