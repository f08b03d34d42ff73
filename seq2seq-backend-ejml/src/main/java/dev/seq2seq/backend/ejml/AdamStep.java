package dev.seq2seq.backend.ejml;

import static com.google.common.base.Preconditions.checkArgument;

import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.backend.ejml.floatmath.FloatMath;
import dev.seq2seq.backend.ejml.gemm.Parallel;

/**
 * The ejml {@link dev.seq2seq.api.backend.AdamKernel}: one Adam update in one pass over the
 * parameter, each operation rounded in the dtype in the order of the interface's formula.
 */
final class AdamStep {
  private AdamStep() {}

  /**
   * {@code {w', m', v'}}; see {@link dev.seq2seq.api.backend.AdamKernel#adamStep}. Float32 runs
   * {@link FloatMath#adamUpdate} over ranges split across threads.
   */
  static EjmlTensor[] step(EjmlTensor w, EjmlTensor g, EjmlTensor m, EjmlTensor v,
      double b1, double c1, double b2, double c2, double eps, double sqrtCorrection2, double stepSize, FloatMath math) {
    for (EjmlTensor t : new EjmlTensor[] {g, m, v}) {
      EjmlBackend.requireSameDtype(dev.seq2seq.api.backend.Op.SUB, w, t);
      checkArgument(t.shape().equals(w.shape()), "adam step: shapes differ (parameter %s, %s)", w.shape(), t.shape());
    }
    EjmlBackend.requireFloating(dev.seq2seq.api.backend.Op.SUB, w);
    int n = w.shape().size();
    if (w.dtype() == DType.FLOAT32) {
      float[] ws = w.floats();
      float[] gs = g.floats();
      float[] ms = m.floats();
      float[] vs = v.floats();
      float[] w2 = ArrayPool.SHARED.unfilledFloats(n);
      float[] m2 = ArrayPool.SHARED.unfilledFloats(n);
      float[] v2 = ArrayPool.SHARED.unfilledFloats(n);
      float fb1 = (float) b1;
      float fc1 = (float) c1;
      float fb2 = (float) b2;
      float fc2 = (float) c2;
      float feps = (float) eps;
      float fsc = (float) sqrtCorrection2;
      float fstep = (float) stepSize;
      Parallel.forRange(n, 1, (from, to) -> // memory-bound on lanes: both cores' bandwidth
          math.adamUpdate(ws, gs, ms, vs, w2, m2, v2, from, to, fb1, fc1, fb2, fc2, feps, fsc, fstep));
      return new EjmlTensor[] {new EjmlTensor(w.shape(), w2), new EjmlTensor(w.shape(), m2), new EjmlTensor(w.shape(), v2)};
    }
    double[] ws = w.doubles();
    double[] gs = g.doubles();
    double[] ms = m.doubles();
    double[] vs = v.doubles();
    double[] w2 = ArrayPool.SHARED.unfilledDoubles(n);
    double[] m2 = ArrayPool.SHARED.unfilledDoubles(n);
    double[] v2 = ArrayPool.SHARED.unfilledDoubles(n);
    for (int i = 0; i < n; i++) {
      double gi = gs[i];
      double mi = ms[i] * b1 + gi * c1;
      double vi = vs[i] * b2 + (gi * gi) * c2;
      double den = Math.sqrt(vi) / sqrtCorrection2 + eps;
      m2[i] = mi;
      v2[i] = vi;
      w2[i] = ws[i] - (mi / den) * stepSize;
    }
    return new EjmlTensor[] {new EjmlTensor(w.shape(), w2), new EjmlTensor(w.shape(), m2), new EjmlTensor(w.shape(), v2)};
  }
}
