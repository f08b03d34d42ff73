package dev.seq2seq.models.data;

/** What a {@link Batcher} does with a pair longer than its maximum source or target length. */
public enum LengthPolicy {
  /** Leave the pair out of every epoch (the {@link Batcher#filteredCount() count} is reported). */
  FILTER,
  /**
   * Keep the first tokens of the too-long side. A truncated target still ends with {@code <eos>}
   * after its last kept token.
   */
  TRUNCATE
}
