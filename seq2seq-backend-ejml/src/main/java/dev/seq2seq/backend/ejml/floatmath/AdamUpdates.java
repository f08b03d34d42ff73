package dev.seq2seq.backend.ejml.floatmath;

/**
 * The scalar loop of a float32 Adam update over {@code [from, to)}: {@link FloatMath#adamUpdate}'s
 * default, and the elements after the last whole vector in {@link VectorFloatMath}'s. Each value is
 * one fixed sequence of operations ({@code (float) Math.sqrt} of a float is the correctly rounded
 * float square root, as a vector lane's is), so both give the same bits.
 */
final class AdamUpdates {
  private AdamUpdates() {}

  /** {@link FloatMath#adamUpdate} over {@code [from, to)}. */
  static void update(float[] w, float[] g, float[] m, float[] v, float[] w2, float[] m2, float[] v2, int from, int to,
      float b1, float c1, float b2, float c2, float eps, float sqrtCorrection2, float stepSize) {
    for (int i = from; i < to; i++) {
      float gi = g[i];
      float mi = m[i] * b1 + gi * c1;
      float vi = v[i] * b2 + (gi * gi) * c2;
      float den = (float) Math.sqrt(vi) / sqrtCorrection2 + eps;
      m2[i] = mi;
      v2[i] = vi;
      w2[i] = w[i] - (mi / den) * stepSize;
    }
  }
}
