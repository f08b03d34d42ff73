package dev.seq2seq.backend.ejml.floatmath;

/**
 * The scalar loop of {@link FloatMath#addTanhScoreGradient} over units {@code [j0, j1)}: the
 * default implementation, and the tail after the last whole vector in {@link VectorFloatMath}'s.
 */
final class ScoreGradients {
  private ScoreGradients() {}

  static void addTanh(float d, float[] w, float[] t, int ti, float[] a, int ai, float[] b, int bi, int j0, int j1) {
    for (int j = j0; j < j1; j++) {
      float tj = t[ti + j];
      float g = d * w[j] * (1f - tj * tj);
      a[ai + j] += g;
      b[bi + j] += g;
    }
  }
}
