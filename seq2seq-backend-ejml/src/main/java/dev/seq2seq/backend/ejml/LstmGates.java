package dev.seq2seq.backend.ejml;

import static com.google.common.base.Preconditions.checkArgument;

import dev.seq2seq.api.backend.Op;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Shape;
import dev.seq2seq.backend.ejml.floatmath.FloatMath;
import dev.seq2seq.backend.ejml.gemm.Parallel;

/**
 * The LSTM cell's elementwise part ({@link dev.seq2seq.api.backend.LstmKernel}), one row of the batch
 * at a time: float32 activations by the backend's {@link FloatMath} on the row's gate blocks, float64
 * ones by {@code Math} as the elementwise kernels compute them, so the forward is bit-identical to
 * the composition.
 */
final class LstmGates {
  private LstmGates() {}

  /** {@code {[h', c'], [i, f, g, o, tanh(c')]}} for {@code gates [B, 4H]} and {@code cell [B, H]}. */
  static EjmlTensor[] forward(EjmlTensor gates, EjmlTensor cell, FloatMath math) {
    return forward(gates, null, null, cell, math);
  }

  /**
   * {@link #forward} of {@code gates = (xProjection + hProjection) + bias} ({@code [B, 4H]},
   * {@code [B, 4H]}, {@code [4H]}), each row's sums written straight into its saved row; with
   * {@code hProjection} and {@code bias} null, {@code xProjection} is the gates.
   */
  static EjmlTensor[] forward(EjmlTensor xProjection, EjmlTensor hProjection, EjmlTensor bias, EjmlTensor cell, FloatMath math) {
    int[] bh = checkShapes(xProjection, cell);
    int batch = bh[0];
    int h = bh[1];
    boolean summed = hProjection != null;
    if (summed) {
      EjmlBackend.requireSameDtype(Op.LSTM_CELL, xProjection, hProjection);
      EjmlBackend.requireSameDtype(Op.LSTM_CELL, xProjection, bias);
      checkArgument(hProjection.shape().equals(xProjection.shape()) && bias.shape().equals(Shape.of(4 * h)),
          "lstm_cell: projections %s and %s and bias %s must be [batch, 4H], [batch, 4H] and [4H] with H = %s",
          xProjection.shape(), hProjection.shape(), bias.shape(), h);
    }
    if (xProjection.dtype() == DType.FLOAT32) {
      float[] a = xProjection.floats();
      float[] a2 = summed ? hProjection.floats() : null;
      float[] bs = summed ? bias.floats() : null;
      float[] c = cell.floats();
      float[] out = ArrayPool.SHARED.unfilledFloats(batch * 2 * h);
      float[] saved = ArrayPool.SHARED.unfilledFloats(batch * 5 * h);
      // rows of the batch, activations in place in their saved row
      Parallel.forRange(batch, 4 * h, (b0, b1) -> math.lstmCellForward(a, a2, bs, c, out, saved, h, b0, b1));
      return new EjmlTensor[] {new EjmlTensor(Shape.of(batch, 2 * h), out), new EjmlTensor(Shape.of(batch, 5 * h), saved)};
    }
    double[] a = xProjection.doubles();
    double[] a2 = summed ? hProjection.doubles() : null;
    double[] bs = summed ? bias.doubles() : null;
    double[] c = cell.doubles();
    double[] out = ArrayPool.SHARED.unfilledDoubles(batch * 2 * h);
    double[] saved = ArrayPool.SHARED.unfilledDoubles(batch * 5 * h);
    double[] row = new double[4 * h];
    for (int b = 0; b < batch; b++) {
      for (int j = 0, r = b * 4 * h; j < 4 * h; j++) {
        row[j] = summed ? (a[r + j] + a2[r + j]) + bs[j] : a[r + j];
      }
      for (int j = 0; j < h; j++) {
        double i = sigmoid(row[j]);
        double f = sigmoid(row[j + h]);
        double g = Math.tanh(row[j + 2 * h]);
        double o = sigmoid(row[j + 3 * h]);
        double c2 = f * c[b * h + j] + i * g;
        double t = Math.tanh(c2);
        out[b * 2 * h + j] = o * t;
        out[b * 2 * h + h + j] = c2;
        int s = b * 5 * h + j;
        saved[s] = i;
        saved[s + h] = f;
        saved[s + 2 * h] = g;
        saved[s + 3 * h] = o;
        saved[s + 4 * h] = t;
      }
    }
    return new EjmlTensor[] {new EjmlTensor(Shape.of(batch, 2 * h), out), new EjmlTensor(Shape.of(batch, 5 * h), saved)};
  }

  /** {@code {dGates [B, 4H], dCell [B, H]}} from {@code [dh', dc']}, the saved activations and the cell state. */
  static EjmlTensor[] backward(EjmlTensor outputGradient, EjmlTensor saved, EjmlTensor cell, FloatMath math) {
    EjmlBackend.requireSameDtype(Op.LSTM_CELL, outputGradient, saved);
    EjmlBackend.requireSameDtype(Op.LSTM_CELL, outputGradient, cell);
    int batch = cell.shape().dim(0);
    int h = cell.shape().dim(1);
    checkArgument(outputGradient.shape().equals(Shape.of(batch, 2 * h)) && saved.shape().equals(Shape.of(batch, 5 * h)),
        "lstm_cell gradient: output gradient %s and saved activations %s do not fit cell %s",
        outputGradient.shape(), saved.shape(), cell.shape());
    if (cell.dtype() == DType.FLOAT32) {
      float[] d = outputGradient.floats();
      float[] s = saved.floats();
      float[] c = cell.floats();
      float[] dGates = ArrayPool.SHARED.unfilledFloats(batch * 4 * h);
      float[] dCell = ArrayPool.SHARED.unfilledFloats(batch * h);
      Parallel.forRange(batch, 4 * h, (b0, b1) -> math.lstmCellGradient(d, s, c, dGates, dCell, h, b0, b1));
      return new EjmlTensor[] {new EjmlTensor(Shape.of(batch, 4 * h), dGates), new EjmlTensor(cell.shape(), dCell)};
    }
    double[] d = outputGradient.doubles();
    double[] s = saved.doubles();
    double[] c = cell.doubles();
    double[] dGates = ArrayPool.SHARED.unfilledDoubles(batch * 4 * h);
    double[] dCell = ArrayPool.SHARED.unfilledDoubles(batch * h);
    for (int b = 0; b < batch; b++) {
      for (int j = 0; j < h; j++) {
        int si = b * 5 * h + j;
        double i = s[si];
        double f = s[si + h];
        double g = s[si + 2 * h];
        double o = s[si + 3 * h];
        double t = s[si + 4 * h];
        double dh = d[b * 2 * h + j];
        double dc = d[b * 2 * h + h + j] + dh * o * (1 - t * t);
        int gi = b * 4 * h + j;
        dGates[gi] = dc * g * (i * (1 - i));
        dGates[gi + h] = dc * c[b * h + j] * (f * (1 - f));
        dGates[gi + 2 * h] = dc * i * (1 - g * g);
        dGates[gi + 3 * h] = dh * t * (o * (1 - o));
        dCell[b * h + j] = dc * f;
      }
    }
    return new EjmlTensor[] {new EjmlTensor(Shape.of(batch, 4 * h), dGates), new EjmlTensor(cell.shape(), dCell)};
  }

  private static double sigmoid(double x) {
    return 1.0 / (1.0 + Math.exp(-x)); // as Elementwise computes float64 sigmoid
  }

  /** {@code {batch, H}} after checking {@code gates [batch, 4H]} and {@code cell [batch, H]}. */
  private static int[] checkShapes(EjmlTensor gates, EjmlTensor cell) {
    EjmlBackend.requireFloating(Op.LSTM_CELL, gates);
    EjmlBackend.requireSameDtype(Op.LSTM_CELL, gates, cell);
    checkArgument(gates.shape().rank() == 2 && cell.shape().rank() == 2 && gates.shape().dim(0) == cell.shape().dim(0)
            && gates.shape().dim(1) == 4 * cell.shape().dim(1),
        "lstm_cell: gates %s and cell %s must be [batch, 4H] and [batch, H]", gates.shape(), cell.shape());
    return new int[] {cell.shape().dim(0), cell.shape().dim(1)};
  }
}
