package dev.seq2seq.backend.ejml.floatmath;

/**
 * The scalar definition of {@link FloatMath#layerNormColumnSums}: the bits every implementation
 * gives (the vector one takes the columns past its last whole vector here).
 */
final class LayerNormSums {
  private LayerNormSums() {}

  /**
   * {@code dw[j] = sum_r g[r, j] (x[r, j] - mean_r) rstd_r} and {@code db[j] = sum_r g[r, j]} for
   * columns {@code [j0, j1)}, rows in order, in double: four columns at a time in local sums (the
   * same additions as into the arrays, without a store and reload per row).
   */
  static void columns(float[] g, float[] x, double[] ms, double[] ss, int rows, int n, int j0, int j1,
      double[] dw, double[] db) {
    int j = j0;
    for (; j + 4 <= j1; j += 4) {
      double w0 = 0;
      double w1 = 0;
      double w2 = 0;
      double w3 = 0;
      double b0 = 0;
      double b1 = 0;
      double b2 = 0;
      double b3 = 0;
      for (int r = 0, o = j; r < rows; r++, o += n) {
        double m = ms[r];
        double s = ss[r];
        double g0 = g[o];
        double g1 = g[o + 1];
        double g2 = g[o + 2];
        double g3 = g[o + 3];
        w0 += g0 * ((x[o] - m) * s);
        w1 += g1 * ((x[o + 1] - m) * s);
        w2 += g2 * ((x[o + 2] - m) * s);
        w3 += g3 * ((x[o + 3] - m) * s);
        b0 += g0;
        b1 += g1;
        b2 += g2;
        b3 += g3;
      }
      dw[j] = w0;
      dw[j + 1] = w1;
      dw[j + 2] = w2;
      dw[j + 3] = w3;
      db[j] = b0;
      db[j + 1] = b1;
      db[j + 2] = b2;
      db[j + 3] = b3;
    }
    for (; j < j1; j++) {
      double w0 = 0;
      double b0 = 0;
      for (int r = 0, o = j; r < rows; r++, o += n) {
        double g0 = g[o];
        w0 += g0 * ((x[o] - ms[r]) * ss[r]);
        b0 += g0;
      }
      dw[j] = w0;
      db[j] = b0;
    }
  }
}
