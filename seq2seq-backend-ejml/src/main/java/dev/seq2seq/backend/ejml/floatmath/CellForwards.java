package dev.seq2seq.backend.ejml.floatmath;

/**
 * The scalar loops of the recurrent cells' float32 forward passes, other than the activations, over
 * columns {@code [j0, j1)} of one batch row: {@link FloatMath}'s default implementation, and the
 * columns after the last whole vector in {@link VectorFloatMath}'s. Every value is one fixed sequence
 * of additions and multiplications, evaluated left to right in both, so they give the same bits.
 */
final class CellForwards {
  private CellForwards() {}

  /** {@link FloatMath#lstmCellForward} for row {@code b}. */
  static void lstm(FloatMath math, float[] x, float[] hp, float[] bias, float[] c, float[] out, float[] s, int h, int b) {
    int si = b * 5 * h;
    lstmSums(x, hp, bias, s, h, b, 0, 4 * h);
    math.sigmoid(s, s, si, si + 2 * h); // i, f
    math.tanh(s, s, si + 2 * h, si + 3 * h); // g
    math.sigmoid(s, s, si + 3 * h, si + 4 * h); // o
    lstmState(s, c, out, h, b, 0, h);
    math.tanh(s, s, si + 4 * h, si + 5 * h);
    lstmOutput(s, out, h, b, 0, h);
  }

  /** Gate sums {@code (x + hp) + bias} (or {@code x}) of row {@code b}, gate columns {@code [j0, j1)}, into the saved row. */
  static void lstmSums(float[] x, float[] hp, float[] bias, float[] s, int h, int b, int j0, int j1) {
    int si = b * 5 * h;
    int xi = b * 4 * h;
    for (int j = j0; j < j1; j++) {
      s[si + j] = hp == null ? x[xi + j] : (x[xi + j] + hp[xi + j]) + bias[j];
    }
  }

  /** {@code c' = f * c + i * g} of row {@code b}, columns {@code [j0, j1)}: into the output's second half and the saved row's last block. */
  static void lstmState(float[] s, float[] c, float[] out, int h, int b, int j0, int j1) {
    int si = b * 5 * h;
    int oi = b * 2 * h;
    int ci = b * h;
    for (int j = j0; j < j1; j++) {
      float cNew = s[si + h + j] * c[ci + j] + s[si + j] * s[si + 2 * h + j];
      out[oi + h + j] = cNew;
      s[si + 4 * h + j] = cNew;
    }
  }

  /** {@code h' = o * tanh(c')} of row {@code b}, columns {@code [j0, j1)}, into the output's first half. */
  static void lstmOutput(float[] s, float[] out, int h, int b, int j0, int j1) {
    int si = b * 5 * h;
    int oi = b * 2 * h;
    for (int j = j0; j < j1; j++) {
      out[oi + j] = s[si + 3 * h + j] * s[si + 4 * h + j];
    }
  }

  /** {@link FloatMath#gruCellForward} for row {@code b}. */
  static void gru(FloatMath math, float[] x, float[] bx, float[] y, float[] by, float[] hs, float[] out, float[] s, int h, int b) {
    int si = b * 4 * h;
    gruSums(x, bx, y, by, s, h, b, 0, 2 * h);
    math.sigmoid(s, s, si, si + 2 * h); // r, z
    gruCandidate(x, bx, y, by, s, h, b, 0, h);
    math.tanh(s, s, si + 2 * h, si + 3 * h); // n
    gruOutput(s, hs, out, h, b, 0, h);
  }

  /** {@code (x + bx) + (y + by)} (or {@code x + y}) of row {@code b}, columns {@code [j0, j1)} of the r and z blocks, into the saved row. */
  static void gruSums(float[] x, float[] bx, float[] y, float[] by, float[] s, int h, int b, int j0, int j1) {
    int si = b * 4 * h;
    int gi = b * 3 * h;
    for (int j = j0; j < j1; j++) {
      s[si + j] = bx == null ? x[gi + j] + y[gi + j] : (x[gi + j] + bx[j]) + (y[gi + j] + by[j]);
    }
  }

  /**
   * The candidate's pre-activation {@code x_n + r * y_n} and the saved {@code y_n} (biases added
   * first when given) of row {@code b}, columns {@code [j0, j1)}.
   */
  static void gruCandidate(float[] x, float[] bx, float[] y, float[] by, float[] s, int h, int b, int j0, int j1) {
    int si = b * 4 * h;
    int gi = b * 3 * h + 2 * h;
    for (int j = j0; j < j1; j++) {
      float xn = bx == null ? x[gi + j] : x[gi + j] + bx[2 * h + j];
      float yn = by == null ? y[gi + j] : y[gi + j] + by[2 * h + j];
      s[si + 2 * h + j] = xn + s[si + j] * yn;
      s[si + 3 * h + j] = yn;
    }
  }

  /** {@code h' = n + z * (h - n)} of row {@code b}, columns {@code [j0, j1)}. */
  static void gruOutput(float[] s, float[] hs, float[] out, int h, int b, int j0, int j1) {
    int si = b * 4 * h;
    int hi = b * h;
    for (int j = j0; j < j1; j++) {
      float n = s[si + 2 * h + j];
      out[hi + j] = n + s[si + h + j] * (hs[hi + j] - n);
    }
  }
}
