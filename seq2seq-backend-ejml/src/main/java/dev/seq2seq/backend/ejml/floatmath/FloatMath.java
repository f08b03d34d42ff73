package dev.seq2seq.backend.ejml.floatmath;

/**
 * Float32 {@code exp}, {@code tanh} and {@code sigmoid} over arrays: {@code out[i] = f(in[i])} for
 * {@code i} in a range, where {@code in} and {@code out} may be the same array. Each element's
 * result does not depend on the range it was computed in. Also loops that JDK 17's
 * auto-vectorizer leaves scalar (loops over an offset per array, ~0.4-4 ns an element): the
 * recurrent cells' forward passes ({@link #lstmCellForward}, {@link #gruCellForward}) and gradients
 * ({@link #lstmCellGradient}, {@link #gruCellGradient}), the Adam update ({@link #adamUpdate}) and
 * in-place row additions ({@link #addTo}). Besides the activations they are plain arithmetic in a
 * fixed order, so every implementation gives the same bits (the default loops are scalar).
 *
 * <p>Every implementation stays within {@link #MAX_ULPS} units in the last place of the correctly
 * rounded result (the double-precision function rounded once to float), maps NaN to NaN, and gives
 * the limits exactly: {@code exp(-inf) = 0}, {@code exp(+inf) = +inf}, {@code tanh(+-inf) = +-1},
 * {@code sigmoid(-inf) = 0}, {@code sigmoid(+inf) = 1}.
 *
 * <p>Subnormal results are flushed to zero ({@link #flushSubnormal}) by {@link #exp},
 * {@link #sigmoid}, {@link #multiply} and {@link #divide}, as TensorFlow's CPU kernels (which run
 * in flush-to-zero mode) flush them: {@code exp(x) = 0} below {@code x = ln 2^-126 ~ -87.34}. Intel cores take a microcode
 * assist for every vector instruction that meets a subnormal (a GEMM with 1 % subnormal operands ran
 * at half speed, with 10 % at a twelfth, on a Xeon of this machine kind); attention probabilities
 * below 2^-126 and their gradients were where they came from, and their size is below every tolerance.
 */
public interface FloatMath {
  /** The error bound of every implementation, in float32 units in the last place. */
  int MAX_ULPS = 3;

  /** The partial sums of {@link #dot}: one per lane of a 512-bit vector. */
  int DOT_LANES = 16;

  /** A short name, e.g. for a backend's description. */
  String name();

  /**
   * {@code x}, or zero with {@code x}'s sign when {@code x} is subnormal ({@code 0 < |x| < 2^-126}):
   * what flush-to-zero arithmetic gives.
   */
  static float flushSubnormal(float x) {
    return Math.abs(x) < Float.MIN_NORMAL ? Math.copySign(0f, x) : x;
  }

  /** {@code out[i] = e^in[i]} for {@code from <= i < to}, flushed to zero below 2^-126. */
  void exp(float[] in, float[] out, int from, int to);

  /** {@code out[i] = tanh(in[i])} for {@code from <= i < to}. */
  void tanh(float[] in, float[] out, int from, int to);

  /** {@code out[i] = 1 / (1 + e^-in[i])} for {@code from <= i < to}, flushed to zero below 2^-126. */
  void sigmoid(float[] in, float[] out, int from, int to);

  /**
   * {@code z[i] = flushSubnormal(x[i] * y[i])} for {@code from <= i < to}; the arrays may be one.
   * The same bits in every implementation (this default is scalar).
   */
  default void multiply(float[] x, float[] y, float[] z, int from, int to) {
    for (int i = from; i < to; i++) {
      z[i] = flushSubnormal(x[i] * y[i]);
    }
  }

  /**
   * {@code z[i] = flushSubnormal(x[i] / y[i])} for {@code from <= i < to}; the arrays may be one.
   * The same bits in every implementation (this default is scalar).
   */
  default void divide(float[] x, float[] y, float[] z, int from, int to) {
    for (int i = from; i < to; i++) {
      z[i] = flushSubnormal(x[i] / y[i]);
    }
  }

  /** {@code out[i] = e^in[i]} for {@code i < n}. */
  default void exp(float[] in, float[] out, int n) {
    exp(in, out, 0, n);
  }

  /** {@code out[i] = tanh(in[i])} for {@code i < n}. */
  default void tanh(float[] in, float[] out, int n) {
    tanh(in, out, 0, n);
  }

  /** {@code out[i] = 1 / (1 + e^-in[i])} for {@code i < n}. */
  default void sigmoid(float[] in, float[] out, int n) {
    sigmoid(in, out, 0, n);
  }

  /**
   * {@code dst[di + j] += src[si + j]} for {@code j < n}, each sum rounded to float32 (gradients
   * added into a box or scattered rows of a sum). The same bits in every implementation; this
   * default is scalar (JDK 17 leaves a loop over two offsets scalar: ~0.4 ns an element here, ~0.1
   * on lanes).
   */
  default void addTo(float[] src, int si, float[] dst, int di, int n) {
    for (int j = 0; j < n; j++) {
      dst[di + j] += src[si + j];
    }
  }

  /**
   * {@code acc[ai + j] += src[si + j]} for {@code j < n}: each float widened to double and added in
   * double, so every implementation gives the same bits (rows summed into double accumulators: bias
   * gradients). This default is scalar.
   */
  default void addWidened(float[] src, int si, double[] acc, int ai, int n) {
    for (int j = 0; j < n; j++) {
      acc[ai + j] += src[si + j];
    }
  }

  /**
   * {@code v[0] + ... + v[n - 1]} in one fixed order, so every implementation gives the same bits:
   * that of {@link #dot}'s lanes without the products ({@link DoubleSums}, the scalar default). For
   * the statistics of a layer-normalised row held in double.
   */
  default double sumDoubles(double[] v, int n) {
    return DoubleSums.sum(v, n);
  }

  /**
   * {@code a[0] * b[0] + ... + a[n - 1] * b[n - 1]}, each product rounded, added in the order of
   * {@link #sumDoubles} ({@link DoubleSums}, the scalar default).
   */
  default double dotDoubles(double[] a, double[] b, int n) {
    return DoubleSums.dot(a, b, n);
  }

  /**
   * Layer normalisation's weight and bias gradients for columns {@code [j0, j1)} of {@code rows} rows
   * of {@code n}: {@code dw[j] = sum_r g[r, j] * ((x[r, j] - mean[r]) * rstd[r])} and
   * {@code db[j] = sum_r g[r, j]}, in double, each column adding its rows in order (no fused
   * multiply-add), so every implementation gives the same bits. This default is scalar, four columns
   * at a time in local sums.
   */
  default void layerNormColumnSums(float[] g, float[] x, double[] mean, double[] rstd, int rows, int n, int j0, int j1,
      double[] dw, double[] db) {
    LayerNormSums.columns(g, x, mean, rstd, rows, n, j0, j1, dw, db);
  }

  /**
   * {@code sum_i x[xi + i] * y[yi + i]} for {@code i < n}, added in one fixed order, so every
   * implementation gives the same bits: {@link #DOT_LANES} partial sums, sum {@code l} a fused
   * multiply-add chain over {@code i = l, l + 16, ...} up to the last whole 16, folded in halves
   * ({@code p[l] + p[l + 8]}, then 4, 2, 1 apart), then the remaining products fused in one by one.
   * This default is scalar ({@link Dots}).
   */
  default float dot(float[] x, int xi, float[] y, int yi, int n) {
    return Dots.dot(x, xi, y, yi, n);
  }

  /**
   * The backward of {@code score = sum_j w[j] tanh(x_j)} for one score with gradient {@code d}, added
   * into two rows: {@code g_j = d * w[j] * (1 - t[ti + j]^2)} (evaluated left to right), then
   * {@code a[ai + j] += g_j} and {@code b[bi + j] += g_j} for {@code j < n}, where {@code t} holds the
   * saved {@code tanh(x)}. The same bits in every implementation ({@link ScoreGradients} is the
   * scalar default).
   */
  default void addTanhScoreGradient(float d, float[] w, float[] t, int ti, float[] a, int ai, float[] b, int bi, int n) {
    ScoreGradients.addTanh(d, w, t, ti, a, ai, b, bi, 0, n);
  }

  /**
   * One float32 Adam update over {@code [from, to)} ({@link dev.seq2seq.api.backend.AdamKernel}'s
   * formula, each operation rounded to float32 in this order):
   * <pre>
   *   m2 = m * b1 + g * c1      v2 = v * b2 + (g * g) * c2
   *   w2 = w - (m2 / (sqrt(v2) / sqrtCorrection2 + eps)) * stepSize
   * </pre>
   * The same bits in every implementation (the default loop is scalar: JDK 17 compiled it to
   * ~3.2 ns an element here, explicit lanes ~0.9 with the arrays in memory).
   */
  default void adamUpdate(float[] w, float[] g, float[] m, float[] v, float[] w2, float[] m2, float[] v2, int from, int to,
      float b1, float c1, float b2, float c2, float eps, float sqrtCorrection2, float stepSize) {
    AdamUpdates.update(w, g, m, v, w2, m2, v2, from, to, b1, c1, b2, c2, eps, sqrtCorrection2, stepSize);
  }

  /**
   * The LSTM cell's forward for batch rows {@code [fromRow, toRow)}, hidden size {@code h}: the gate
   * pre-activations {@code a = (x + hp) + bias} ({@code [B, 4h]}, {@code [B, 4h]}, {@code [4h]}; with
   * {@code hp} and {@code bias} null, {@code a = x}), then
   * <pre>
   *   s   = [i, f, g, o, tanh(c')] = [sigmoid(a_i), sigmoid(a_f), tanh(a_g), sigmoid(a_o), tanh(c')]   [B, 5h]
   *   out = [h', c'] = [o * tanh(c'),  f * c + i * g]                                                 [B, 2h]
   * </pre>
   * each sum and product rounded to float32 in that order, the activations by this instance's
   * {@link #sigmoid} and {@link #tanh}.
   */
  default void lstmCellForward(float[] x, float[] hp, float[] bias, float[] c, float[] out, float[] s, int h, int fromRow, int toRow) {
    for (int b = fromRow; b < toRow; b++) {
      CellForwards.lstm(this, x, hp, bias, c, out, s, h, b);
    }
  }

  /**
   * The GRU cell's forward for batch rows {@code [fromRow, toRow)}, hidden size {@code h}: with the
   * projections {@code x} and {@code y} ({@code [B, 3h]}, blocks r, z, n) and their biases {@code bx},
   * {@code by} ({@code [3h]}, added first; both null for none),
   * <pre>
   *   r = sigmoid(x_r + y_r)   z = sigmoid(x_z + y_z)   n = tanh(x_n + r * y_n)
   *   out = h' = n + z * (h - n)   [B, h];    s = [r, z, n, y_n]   [B, 4h]
   * </pre>
   * each sum and product rounded to float32 in that order, the activations by this instance's
   * {@link #sigmoid} and {@link #tanh}.
   */
  default void gruCellForward(float[] x, float[] bx, float[] y, float[] by, float[] hs, float[] out, float[] s, int h,
      int fromRow, int toRow) {
    for (int b = fromRow; b < toRow; b++) {
      CellForwards.gru(this, x, bx, y, by, hs, out, s, h, b);
    }
  }

  /**
   * The LSTM cell's gradient for batch rows {@code [fromRow, toRow)}, hidden size {@code h}: from
   * {@code d = [dh', dc']} ({@code [B, 2h]}), the saved {@code s = [i, f, g, o, tanh(c')]}
   * ({@code [B, 5h]}) and the cell {@code c} ({@code [B, h]}),
   * <pre>
   *   dc    = dc' + dh' * o * (1 - tanh(c')^2)
   *   dGates = [dc * g * (i(1-i)),  dc * c * (f(1-f)),  dc * i * (1 - g^2),  dh' * tanh(c') * (o(1-o))]   [B, 4h]
   *   dCell = dc * f                                                                                     [B, h]
   * </pre>
   */
  default void lstmCellGradient(float[] d, float[] s, float[] c, float[] dGates, float[] dCell, int h, int fromRow, int toRow) {
    for (int b = fromRow; b < toRow; b++) {
      CellGradients.lstm(d, s, c, dGates, dCell, h, b, 0, h);
    }
  }

  /**
   * The GRU cell's gradient for batch rows {@code [fromRow, toRow)}, hidden size {@code h}: from
   * {@code d = dh'} ({@code [B, h]}), the saved {@code s = [r, z, n, W_hn h + b_hn]}
   * ({@code [B, 4h]}) and the hidden state {@code hs} ({@code [B, h]}),
   * <pre>
   *   dn = dh' * (1 - z) * (1 - n^2),  dr = dn * (W_hn h + b_hn) * (r(1-r)),  dz = dh' * (h - n) * (z(1-z))
   *   dgi = [dr, dz, dn],  dgh = [dr, dz, dn * r]   [B, 3h];   dh = dh' * z   [B, h]
   * </pre>
   */
  default void gruCellGradient(float[] d, float[] s, float[] hs, float[] dgi, float[] dgh, float[] dh, int h, int fromRow, int toRow) {
    for (int b = fromRow; b < toRow; b++) {
      CellGradients.gru(d, s, hs, dgi, dgh, dh, h, b, 0, h);
    }
  }
}
