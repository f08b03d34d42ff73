package dev.seq2seq.backend.ejml;

import static com.google.common.base.Preconditions.checkArgument;

import dev.seq2seq.api.backend.Op;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Shape;
import dev.seq2seq.backend.ejml.floatmath.FloatMath;
import dev.seq2seq.backend.ejml.gemm.Parallel;

/**
 * The GRU cell's elementwise part ({@link dev.seq2seq.api.backend.GruKernel}), one row of the batch
 * at a time: float32 activations by the backend's {@link FloatMath}, float64 ones by {@code Math} as
 * the elementwise kernels compute them, so the forward is bit-identical to the composition.
 */
final class GruGates {
  private GruGates() {}

  /** {@code {h', [r, z, n, gh_n]}} for projections {@code [B, 3H]} and {@code hidden [B, H]}. */
  static EjmlTensor[] forward(EjmlTensor gi, EjmlTensor gh, EjmlTensor hidden, FloatMath math) {
    return forward(gi, null, gh, null, hidden, math);
  }

  /**
   * {@link #forward} of {@code gi = xProduct + inputBias} and {@code gh = hProduct + hiddenBias}
   * ({@code [B, 3H]} plus {@code [3H]} each), each sum rounded in the dtype before the next
   * (the composition's bits); with null biases the products are the projections.
   */
  static EjmlTensor[] forward(EjmlTensor xProduct, EjmlTensor inputBias, EjmlTensor hProduct, EjmlTensor hiddenBias,
      EjmlTensor hidden, FloatMath math) {
    EjmlTensor gi = xProduct;
    EjmlTensor gh = hProduct;
    EjmlBackend.requireFloating(Op.GRU_CELL, gi);
    EjmlBackend.requireSameDtype(Op.GRU_CELL, gi, gh);
    EjmlBackend.requireSameDtype(Op.GRU_CELL, gi, hidden);
    int batch = hidden.shape().dim(0);
    int h = hidden.shape().dim(1);
    checkArgument(hidden.shape().rank() == 2 && gi.shape().equals(Shape.of(batch, 3 * h)) && gh.shape().equals(gi.shape()),
        "gru_cell: projections %s and %s and hidden %s must be [batch, 3H], [batch, 3H] and [batch, H]",
        gi.shape(), gh.shape(), hidden.shape());
    boolean biased = inputBias != null;
    if (biased) {
      EjmlBackend.requireSameDtype(Op.GRU_CELL, gi, inputBias);
      EjmlBackend.requireSameDtype(Op.GRU_CELL, gi, hiddenBias);
      checkArgument(inputBias.shape().equals(Shape.of(3 * h)) && hiddenBias.shape().equals(Shape.of(3 * h)),
          "gru_cell: biases %s and %s must both be [3H] with H = %s", inputBias.shape(), hiddenBias.shape(), h);
    }
    if (gi.dtype() == DType.FLOAT32) {
      float[] xs = gi.floats();
      float[] ys = gh.floats();
      float[] bi = biased ? inputBias.floats() : null;
      float[] bh = biased ? hiddenBias.floats() : null;
      float[] hs = hidden.floats();
      float[] out = ArrayPool.SHARED.unfilledFloats(batch * h);
      float[] saved = ArrayPool.SHARED.unfilledFloats(batch * 4 * h);
      // rows of the batch, activations in place in their saved row
      Parallel.forRange(batch, 4 * h, (b0, b1) -> math.gruCellForward(xs, bi, ys, bh, hs, out, saved, h, b0, b1));
      return new EjmlTensor[] {new EjmlTensor(hidden.shape(), out), new EjmlTensor(Shape.of(batch, 4 * h), saved)};
    }
    double[] xs = gi.doubles();
    double[] ys = gh.doubles();
    double[] bi = biased ? inputBias.doubles() : null;
    double[] bh = biased ? hiddenBias.doubles() : null;
    double[] hs = hidden.doubles();
    double[] out = ArrayPool.SHARED.unfilledDoubles(batch * h);
    double[] saved = ArrayPool.SHARED.unfilledDoubles(batch * 4 * h);
    double[] x = new double[3 * h]; // the row's projections, biases added (float64: gradient checks, not speed)
    double[] y = new double[3 * h];
    for (int b = 0; b < batch; b++) {
      for (int j = 0, g0 = b * 3 * h; j < 3 * h; j++) {
        x[j] = biased ? xs[g0 + j] + bi[j] : xs[g0 + j];
        y[j] = biased ? ys[g0 + j] + bh[j] : ys[g0 + j];
      }
      for (int j = 0; j < h; j++) {
        double r = sigmoid(x[j] + y[j]);
        double z = sigmoid(x[j + h] + y[j + h]);
        double n = Math.tanh(x[j + 2 * h] + r * y[j + 2 * h]);
        out[b * h + j] = n + z * (hs[b * h + j] - n);
        int s = b * 4 * h + j;
        saved[s] = r;
        saved[s + h] = z;
        saved[s + 2 * h] = n;
        saved[s + 3 * h] = y[j + 2 * h];
      }
    }
    return new EjmlTensor[] {new EjmlTensor(hidden.shape(), out), new EjmlTensor(Shape.of(batch, 4 * h), saved)};
  }

  /** {@code {d gi, d gh, d hidden}} from {@code dh'}, the saved activations and the hidden state. */
  static EjmlTensor[] backward(EjmlTensor outputGradient, EjmlTensor saved, EjmlTensor hidden, FloatMath math) {
    EjmlBackend.requireSameDtype(Op.GRU_CELL, outputGradient, saved);
    EjmlBackend.requireSameDtype(Op.GRU_CELL, outputGradient, hidden);
    int batch = hidden.shape().dim(0);
    int h = hidden.shape().dim(1);
    checkArgument(outputGradient.shape().equals(hidden.shape()) && saved.shape().equals(Shape.of(batch, 4 * h)),
        "gru_cell gradient: output gradient %s and saved activations %s do not fit hidden %s",
        outputGradient.shape(), saved.shape(), hidden.shape());
    Shape projections = Shape.of(batch, 3 * h);
    if (hidden.dtype() == DType.FLOAT32) {
      float[] d = outputGradient.floats();
      float[] s = saved.floats();
      float[] hs = hidden.floats();
      float[] dgi = ArrayPool.SHARED.unfilledFloats(batch * 3 * h);
      float[] dgh = ArrayPool.SHARED.unfilledFloats(batch * 3 * h);
      float[] dh = ArrayPool.SHARED.unfilledFloats(batch * h);
      Parallel.forRange(batch, 3 * h, (b0, b1) -> math.gruCellGradient(d, s, hs, dgi, dgh, dh, h, b0, b1));
      return new EjmlTensor[] {new EjmlTensor(projections, dgi), new EjmlTensor(projections, dgh), new EjmlTensor(hidden.shape(), dh)};
    }
    double[] d = outputGradient.doubles();
    double[] s = saved.doubles();
    double[] hs = hidden.doubles();
    double[] dgi = ArrayPool.SHARED.unfilledDoubles(batch * 3 * h);
    double[] dgh = ArrayPool.SHARED.unfilledDoubles(batch * 3 * h);
    double[] dh = ArrayPool.SHARED.unfilledDoubles(batch * h);
    for (int b = 0; b < batch; b++) {
      for (int j = 0; j < h; j++) {
        int si = b * 4 * h + j;
        double r = s[si];
        double z = s[si + h];
        double n = s[si + 2 * h];
        double ghn = s[si + 3 * h];
        double g = d[b * h + j];
        double dn = g * (1 - z) * (1 - n * n);
        double dr = dn * ghn * (r * (1 - r));
        double dz = g * (hs[b * h + j] - n) * (z * (1 - z));
        int gi = b * 3 * h + j;
        dgi[gi] = dr;
        dgi[gi + h] = dz;
        dgi[gi + 2 * h] = dn;
        dgh[gi] = dr;
        dgh[gi + h] = dz;
        dgh[gi + 2 * h] = dn * r;
        dh[b * h + j] = g * z;
      }
    }
    return new EjmlTensor[] {new EjmlTensor(projections, dgi), new EjmlTensor(projections, dgh), new EjmlTensor(hidden.shape(), dh)};
  }

  private static double sigmoid(double x) {
    return 1.0 / (1.0 + Math.exp(-x)); // as Elementwise computes float64 sigmoid
  }
}
