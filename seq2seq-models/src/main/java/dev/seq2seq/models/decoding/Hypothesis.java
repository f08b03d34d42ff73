package dev.seq2seq.models.decoding;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Arrays;

/**
 * One decoded output sequence. Immutable: arrays are copied in and out.
 *
 * @param tokens the output without {@code <sos>} and without {@code <eos>}
 * @param logProb sum of the model's log-probabilities of every step, the {@code <eos>} step
 *     included when {@code finished}
 * @param score what the hypothesis was ranked by: {@code logProb / lp(length())} for beam search
 *     with a length penalty, else {@code logProb}
 * @param finished whether the hypothesis ended with {@code <eos>} (false: cut at the maximum length)
 * @param attention {@code [tokens.length][real source length]}: row {@code i} is the attention of
 *     the step that produced {@code tokens[i]}; {@code null} if the model reports no attention
 */
public record Hypothesis(int[] tokens, double logProb, double score, boolean finished, float[][] attention) {
  /** Copies the arrays and checks that the attention has one row per token. */
  public Hypothesis {
    tokens = tokens.clone();
    checkArgument(attention == null || attention.length == tokens.length,
        "hypothesis: %s attention rows for %s tokens", attention == null ? 0 : attention.length, tokens.length);
    attention = attention == null ? null : deepCopy(attention);
  }

  /** The output tokens (a copy). */
  @Override
  public int[] tokens() {
    return tokens.clone();
  }

  /** The attention matrix (a copy), or {@code null}. */
  @Override
  public float[][] attention() {
    return attention == null ? null : deepCopy(attention);
  }

  /** Number of decoder steps: {@code tokens().length}, plus 1 for the {@code <eos>} step if finished. */
  public int length() {
    return tokens.length + (finished ? 1 : 0);
  }

  private static float[][] deepCopy(float[][] a) {
    float[][] c = new float[a.length][];
    for (int i = 0; i < a.length; i++) {
      c[i] = a[i].clone();
    }
    return c;
  }

  /** Equal tokens, flags, bitwise-equal scores and attention. */
  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Hypothesis)) {
      return false;
    }
    Hypothesis h = (Hypothesis) o;
    return Arrays.equals(tokens, h.tokens) && Double.compare(logProb, h.logProb) == 0
        && Double.compare(score, h.score) == 0 && finished == h.finished && Arrays.deepEquals(attention, h.attention);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * Arrays.hashCode(tokens) + Double.hashCode(score)) + Arrays.deepHashCode(attention);
  }

  @Override
  public String toString() {
    return "Hypothesis" + Arrays.toString(tokens) + "(logProb " + logProb + ", score " + score
        + (finished ? ", finished" : ", cut at max length") + (attention == null ? "" : ", with attention") + ")";
  }
}
