package dev.seq2seq.backend.ejml;

import static com.google.common.base.Preconditions.checkArgument;

import dev.seq2seq.api.backend.Op;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Shape;
import dev.seq2seq.backend.ejml.floatmath.FloatMath;
import dev.seq2seq.backend.ejml.gemm.FloatGemm;
import dev.seq2seq.backend.ejml.gemm.Parallel;

/**
 * Additive attention's scoring network ({@link dev.seq2seq.api.backend.AdditiveScoresKernel}), one
 * {@code (b, q, s)} row of {@code A} units at a time: forward, the row's sums and their tanh (by the
 * backend's {@link FloatMath}) written once into the saved {@code t}, and the score as
 * {@link FloatMath#dot} with {@code w}; backward, one pass over {@code t} for {@code dQuery} and
 * {@code dKeys} ({@link FloatMath#addTanhScoreGradient} per row), and {@code dw} as one
 * vector-matrix product over all rows. Float32 rows split over
 * threads (forward by rows, backward by batch entries, which own their rows of {@code dQuery} and
 * {@code dKeys}); every value is computed in one order whatever the split. Float64 in plain loops.
 */
final class AdditiveScores {
  private AdditiveScores() {}

  /** {@code {scores [B, Tq, S], t [B, Tq, S, A]}} for {@code query [B, Tq, A]}, {@code keys [B, S, A]}, {@code w [A]}. */
  static EjmlTensor[] forward(EjmlTensor query, EjmlTensor keys, EjmlTensor w, FloatMath math) {
    EjmlBackend.requireFloating(Op.ADDITIVE_SCORES, query);
    EjmlBackend.requireSameDtype(Op.ADDITIVE_SCORES, query, keys);
    EjmlBackend.requireSameDtype(Op.ADDITIVE_SCORES, query, w);
    int[] dq = query.dims();
    int[] dk = keys.dims();
    checkArgument(dq.length == 3 && dk.length == 3 && w.dims().length == 1 && dq[0] == dk[0] && dq[2] == dk[2] && dq[2] == w.dims()[0],
        "additive_scores: query %s, keys %s and w %s must be [batch, queries, units], [batch, keys, units] and [units]",
        query.shape(), keys.shape(), w.shape());
    int tq = dq[1];
    int s = dk[1];
    int a = dq[2];
    int rows = dq[0] * tq * s;
    Shape scoresShape = Shape.of(dq[0], tq, s);
    Shape savedShape = Shape.of(dq[0], tq, s, a);
    if (query.dtype() == DType.FLOAT32) {
      float[] q = query.floats();
      float[] k = keys.floats();
      float[] wv = w.floats();
      float[] t = ArrayPool.SHARED.unfilledFloats(rows * a);
      float[] scores = ArrayPool.SHARED.unfilledFloats(rows);
      Parallel.forRange(rows, a, (r0, r1) -> {
        for (int r = r0; r < r1; r++) {
          int qi = queryRow(r, s) * a;
          int ki = keyRow(r, tq, s) * a;
          int ti = r * a;
          for (int j = 0; j < a; j++) {
            t[ti + j] = q[qi + j] + k[ki + j];
          }
          math.tanh(t, t, ti, ti + a);
          scores[r] = math.dot(wv, 0, t, ti, a);
        }
      });
      return new EjmlTensor[] {new EjmlTensor(scoresShape, scores), new EjmlTensor(savedShape, t)};
    }
    double[] q = query.doubles();
    double[] k = keys.doubles();
    double[] wv = w.doubles();
    double[] t = ArrayPool.SHARED.unfilledDoubles(rows * a);
    double[] scores = ArrayPool.SHARED.unfilledDoubles(rows);
    for (int r = 0; r < rows; r++) {
      int qi = queryRow(r, s) * a;
      int ki = keyRow(r, tq, s) * a;
      double score = 0;
      for (int j = 0; j < a; j++) {
        double tj = Math.tanh(q[qi + j] + k[ki + j]);
        t[r * a + j] = tj;
        score += wv[j] * tj;
      }
      scores[r] = score;
    }
    return new EjmlTensor[] {new EjmlTensor(scoresShape, scores), new EjmlTensor(savedShape, t)};
  }

  /** {@code {dQuery [B, Tq, A], dKeys [B, S, A], dw [A]}} from {@code dScores [B, Tq, S]}, the saved {@code t} and {@code w}. */
  static EjmlTensor[] backward(EjmlTensor scoresGradient, EjmlTensor saved, EjmlTensor w, FloatMath math, FloatGemm gemm) {
    EjmlBackend.requireSameDtype(Op.ADDITIVE_SCORES, scoresGradient, saved);
    EjmlBackend.requireSameDtype(Op.ADDITIVE_SCORES, scoresGradient, w);
    int[] dt = saved.dims();
    checkArgument(dt.length == 4 && scoresGradient.shape().equals(Shape.of(dt[0], dt[1], dt[2])) && w.shape().equals(Shape.of(dt[3])),
        "additive_scores gradient: scores gradient %s and w %s do not fit the saved activations %s",
        scoresGradient.shape(), w.shape(), saved.shape());
    int batch = dt[0];
    int tq = dt[1];
    int s = dt[2];
    int a = dt[3];
    int rows = batch * tq * s;
    Shape queryShape = Shape.of(batch, tq, a);
    Shape keysShape = Shape.of(batch, s, a);
    if (saved.dtype() == DType.FLOAT32) {
      float[] d = scoresGradient.floats();
      float[] t = saved.floats();
      float[] wv = w.floats();
      float[] dQuery = (float[]) ArrayPool.SHARED.zeroed(DType.FLOAT32, batch * tq * a);
      float[] dKeys = (float[]) ArrayPool.SHARED.zeroed(DType.FLOAT32, batch * s * a);
      float[] dw = ArrayPool.SHARED.unfilledFloats(a);
      Parallel.forRange(batch, tq * s * a, (b0, b1) -> {
        for (int r = b0 * tq * s; r < b1 * tq * s; r++) {
          int qi = queryRow(r, s) * a;
          int ki = keyRow(r, tq, s) * a;
          int ti = r * a;
          math.addTanhScoreGradient(d[r], wv, t, ti, dQuery, qi, dKeys, ki, a);
        }
      });
      gemm.multiply(false, false, 1, a, rows, d, 0, t, 0, dw, 0); // dw = dScores (as a row) x t (rows x A)
      return new EjmlTensor[] {new EjmlTensor(queryShape, dQuery), new EjmlTensor(keysShape, dKeys), new EjmlTensor(w.shape(), dw)};
    }
    double[] d = scoresGradient.doubles();
    double[] t = saved.doubles();
    double[] wv = w.doubles();
    double[] dQuery = (double[]) ArrayPool.SHARED.zeroed(DType.FLOAT64, batch * tq * a);
    double[] dKeys = (double[]) ArrayPool.SHARED.zeroed(DType.FLOAT64, batch * s * a);
    double[] dw = (double[]) ArrayPool.SHARED.zeroed(DType.FLOAT64, a);
    for (int r = 0; r < rows; r++) {
      int qi = queryRow(r, s) * a;
      int ki = keyRow(r, tq, s) * a;
      for (int j = 0; j < a; j++) {
        double tj = t[r * a + j];
        double g = d[r] * wv[j] * (1 - tj * tj);
        dQuery[qi + j] += g;
        dKeys[ki + j] += g;
        dw[j] += d[r] * tj;
      }
    }
    return new EjmlTensor[] {new EjmlTensor(queryShape, dQuery), new EjmlTensor(keysShape, dKeys), new EjmlTensor(w.shape(), dw)};
  }

  /** The query row {@code b * Tq + q} of score row {@code r = (b * Tq + q) * S + s}. */
  private static int queryRow(int r, int keys) {
    return r / keys;
  }

  /** The key row {@code b * S + s} of score row {@code r = (b * Tq + q) * S + s}. */
  private static int keyRow(int r, int queries, int keys) {
    return r / (queries * keys) * keys + r % keys;
  }
}
