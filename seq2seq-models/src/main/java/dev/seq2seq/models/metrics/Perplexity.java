package dev.seq2seq.models.metrics;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;

/**
 * Perplexity, {@code exp(H)} for the mean per-token cross-entropy {@code H} in nats (natural log,
 * as {@link dev.seq2seq.models.loss.CrossEntropyLoss} computes it). Accumulated over batches it is
 * {@code exp(sum_b H_b N_b / sum_b N_b)} with {@code N_b} the tokens of batch {@code b}: batch
 * perplexities must not be averaged. Not thread-safe.
 */
public final class Perplexity {
  private double totalNll;
  private double tokens;

  /** {@code exp(meanCrossEntropy)}. */
  public static double fromMeanCrossEntropy(double meanCrossEntropy) {
    checkArgument(meanCrossEntropy >= 0 && !Double.isNaN(meanCrossEntropy),
        "perplexity: mean cross-entropy must be >= 0 (nats), got %s", meanCrossEntropy);
    return Math.exp(meanCrossEntropy);
  }

  /** Adds a batch whose mean cross-entropy over {@code tokens} counted tokens is {@code meanCrossEntropy}. */
  public Perplexity add(double meanCrossEntropy, double tokens) {
    checkArgument(meanCrossEntropy >= 0 && !Double.isNaN(meanCrossEntropy),
        "perplexity: mean cross-entropy must be >= 0 (nats), got %s", meanCrossEntropy);
    checkArgument(tokens >= 0, "perplexity: token count must be >= 0, got %s", tokens);
    if (tokens > 0) {
      totalNll += meanCrossEntropy * tokens;
      this.tokens += tokens;
    }
    return this;
  }

  /** The mean cross-entropy per token so far. */
  public double meanCrossEntropy() {
    checkState(tokens > 0, "perplexity: no tokens added");
    return totalNll / tokens;
  }

  /**
   * {@code exp} of the token-weighted mean cross-entropy.
   *
   * @throws IllegalStateException if no tokens were added
   */
  public double value() {
    return Math.exp(meanCrossEntropy());
  }
}
