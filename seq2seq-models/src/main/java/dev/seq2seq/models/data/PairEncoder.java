package dev.seq2seq.models.data;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns text pairs into id pairs: tokenize each side with its tokenizer, then look the tokens up
 * in that side's vocabulary (unknown tokens become {@link Vocabulary#UNK}).
 */
public record PairEncoder(Tokenizer sourceTokenizer, Vocabulary sourceVocabulary,
    Tokenizer targetTokenizer, Vocabulary targetVocabulary) {
  /** Checks that nothing is null. */
  public PairEncoder {
    checkNotNull(sourceTokenizer, "encoder: source tokenizer is null");
    checkNotNull(sourceVocabulary, "encoder: source vocabulary is null");
    checkNotNull(targetTokenizer, "encoder: target tokenizer is null");
    checkNotNull(targetVocabulary, "encoder: target vocabulary is null");
  }

  /**
   * The ids of {@code pair}.
   *
   * @throws IllegalArgumentException if the source tokenizes to nothing
   */
  public EncodedPair encode(SentencePair pair) {
    List<String> source = sourceTokenizer.tokenize(pair.source());
    checkArgument(!source.isEmpty(), "encoder: source '%s' has no tokens", pair.source());
    return new EncodedPair(sourceVocabulary.encode(source), targetVocabulary.encode(targetTokenizer.tokenize(pair.target())));
  }

  /**
   * The ids of every pair, in order.
   *
   * @throws IllegalArgumentException naming the index of a pair whose source tokenizes to nothing
   */
  public List<EncodedPair> encodeAll(List<SentencePair> pairs) {
    List<EncodedPair> out = new ArrayList<>(pairs.size());
    for (int i = 0; i < pairs.size(); i++) {
      try {
        out.add(encode(pairs.get(i)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("pair " + i + ": " + e.getMessage(), e);
      }
    }
    return out;
  }
}
