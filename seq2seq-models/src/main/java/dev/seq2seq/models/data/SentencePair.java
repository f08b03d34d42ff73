package dev.seq2seq.models.data;

import static com.google.common.base.Preconditions.checkNotNull;

/** A source sentence and its translation, as text. */
public record SentencePair(String source, String target) {
  /** Checks that neither side is null. */
  public SentencePair {
    checkNotNull(source, "pair: source is null");
    checkNotNull(target, "pair: target is null");
  }

  /** The same pair translating the other way (target becomes source). */
  public SentencePair swapped() {
    return new SentencePair(target, source);
  }
}
