package dev.seq2seq.api.backend;

/**
 * The optional backend capability of additive (Bahdanau) attention's scoring network in one pass
 * forward and one backward, instead of a broadcast sum, a tanh and a product with {@code w}
 * forward and an outer product, the tanh gradient, a sum over the keys and a vector-matrix product
 * backward: each of those a pass over a {@code [B, Tq, S, A]} tensor, per decoder step.
 *
 * <p>From {@code query [B, Tq, A]}, {@code keys [B, S, A]} and {@code w [A]}:
 *
 * <pre>
 *   t[b, q, s, a] = tanh(query[b, q, a] + keys[b, s, a])       score[b, q, s] = sum_a w[a] t[b, q, s, a]
 *
 *   backward, from dScore [B, Tq, S]:
 *   g[b, q, s, a] = dScore[b, q, s] * w[a] * (1 - t[b, q, s, a]^2)
 *   dQuery[b, q, a] = sum_s g      dKeys[b, s, a] = sum_q g      dw[a] = sum_{b, q, s} dScore[b, q, s] t[b, q, s, a]
 * </pre>
 *
 * <p>Scores and gradients agree with the composition within the dtype's tolerance (the kernel may
 * add the sums in another order); each score does not depend on the batch it was computed in.
 */
public interface AdditiveScoresKernel {
  /**
   * Returns {@code {scores, saved}}: the scores {@code [B, Tq, S]} and what
   * {@link #additiveScoresBackward} needs ({@code t}, {@code [B, Tq, S, A]}). The inputs belong to
   * this backend and share one floating dtype (the caller checks shapes).
   */
  RawTensor[] additiveScores(RawTensor query, RawTensor keys, RawTensor w);

  /**
   * Returns {@code {dQuery, dKeys, dw}} ({@code [B, Tq, A]}, {@code [B, S, A]}, {@code [A]}) for the
   * scores' gradient {@code [B, Tq, S]}, the saved {@code t} and {@code w}.
   */
  RawTensor[] additiveScoresBackward(RawTensor scoresGradient, RawTensor saved, RawTensor w);
}
