package dev.seq2seq.models.decoding;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.List;

/**
 * What a decoder produced for one input: its hypotheses, best first.
 *
 * <p>Greedy decoding and sampling return one hypothesis; beam search returns the n-best list
 * ({@link DecodingOptions#nBest()} hypotheses, fewer only if the search found fewer), ordered by
 * {@link Hypothesis#score()} descending (ties: the one found first).
 *
 * @param hypotheses at least one, best first
 */
public record DecodingResult(List<Hypothesis> hypotheses) {
  /** Copies the list; it must not be empty. */
  public DecodingResult {
    checkArgument(!hypotheses.isEmpty(), "decoding result: no hypothesis");
    hypotheses = List.copyOf(hypotheses);
  }

  /** The best hypothesis. */
  public Hypothesis best() {
    return hypotheses.get(0);
  }

  /** The best hypothesis' tokens (no {@code <sos>}, no {@code <eos>}). */
  public int[] tokens() {
    return best().tokens();
  }

  /** The best hypothesis' sum of log-probabilities. */
  public double logProb() {
    return best().logProb();
  }

  /** The best hypothesis' (length-penalised, for beam search) score. */
  public double score() {
    return best().score();
  }

  /** The best hypothesis' attention {@code [outputLength][sourceLength]}, or {@code null}. */
  public float[][] attention() {
    return best().attention();
  }
}
