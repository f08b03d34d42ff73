package dev.seq2seq.models.metrics;

import java.util.Arrays;

/**
 * A corpus BLEU score and its parts.
 *
 * @param score BLEU in {@code [0, 1]} (multiply by 100 for the usual reporting scale)
 * @param matches clipped n-gram matches per order ({@code matches[0]} is unigrams)
 * @param totals hypothesis n-grams per order, each sentence counting at least 1 (as NLTK)
 * @param precisions the (smoothed) precision used per order; NaN when BLEU is 0 because no unigram matched
 * @param brevityPenalty {@code 1} if {@code c > r}, {@code 0} if {@code c = 0}, else {@code exp(1 - r/c)}
 * @param hypothesisLength {@code c}, total hypothesis tokens
 * @param referenceLength {@code r}, total closest reference lengths
 */
public record BleuScore(double score, long[] matches, long[] totals, double[] precisions,
    double brevityPenalty, long hypothesisLength, long referenceLength) {
  @Override
  public String toString() {
    return String.format("BLEU %.2f (precisions %s, BP %.4f, hyp %d, ref %d)", 100 * score,
        Arrays.toString(precisions), brevityPenalty, hypothesisLength, referenceLength);
  }
}
