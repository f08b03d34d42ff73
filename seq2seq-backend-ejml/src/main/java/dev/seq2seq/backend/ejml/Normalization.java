package dev.seq2seq.backend.ejml;

import static com.google.common.base.Preconditions.checkArgument;

import dev.seq2seq.api.backend.Op;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Shape;
import dev.seq2seq.backend.ejml.floatmath.FloatMath;
import dev.seq2seq.backend.ejml.gemm.Parallel;
import java.util.Arrays;

/**
 * Layer normalisation over the last axis, forward and backward, one row of {@code n} elements at a
 * time (the {@link dev.seq2seq.api.backend.LayerNormKernel} formulas). Each row is read into a
 * double buffer; statistics, sums and every element are computed in double and rounded once to the
 * dtype; the saved mean and reciprocal standard deviation are kept in the dtype. Row sums and dot
 * products run on 16 partial sums ({@link FloatMath#sumDoubles}), the weight and bias gradients'
 * column sums on lanes ({@link FloatMath#layerNormColumnSums}), both with the same bits on every
 * {@link FloatMath}. Both directions split over threads: the forward and the input gradient by
 * rows, the weight and bias gradients (sums over rows, in row order) by columns.
 */
final class Normalization {
  private Normalization() {}

  /** {@code {y, mean, rstd}} for {@code x [..., n]}, {@code weight [n]}, {@code bias [n]}. */
  static EjmlTensor[] layerNorm(EjmlTensor x, EjmlTensor weight, EjmlTensor bias, double eps, FloatMath floatMath) {
    EjmlBackend.requireFloating(Op.LAYER_NORM, x);
    EjmlBackend.requireSameDtype(Op.LAYER_NORM, x, weight);
    EjmlBackend.requireSameDtype(Op.LAYER_NORM, x, bias);
    Shape shape = x.shape();
    checkArgument(shape.rank() >= 1, "layer_norm: input %s needs at least one axis", shape);
    int n = shape.dim(-1);
    checkArgument(weight.shape().equals(Shape.of(n)) && bias.shape().equals(Shape.of(n)),
        "layer_norm: weight %s and bias %s must both be [%s] for input %s", weight.shape(), bias.shape(), n, shape);
    int rows = n == 0 ? 0 : shape.size() / n;
    DType dtype = x.dtype();
    Object xs = x.data();
    double[] w = Storage.toDoubles(weight.data());
    double[] b = Storage.toDoubles(bias.data());
    Object y = Storage.allocateUnfilled(dtype, shape.size());
    double[] mean = new double[rows];
    double[] rstd = new double[rows];
    Parallel.forRange(rows, 4 * n, (r0, r1) -> { // each row on its own: the same bits however split
      double[] row = new double[n];
      for (int r = r0, o = r0 * n; r < r1; r++, o += n) {
        Storage.readLine(xs, o, 1, row, n);
        double m = floatMath.sumDoubles(row, n) / n;
        for (int j = 0; j < n; j++) {
          row[j] -= m;
        }
        double s = 1.0 / Math.sqrt(floatMath.dotDoubles(row, row, n) / n + eps);
        for (int j = 0; j < n; j++) {
          row[j] = row[j] * s * w[j] + b[j];
        }
        Storage.writeLine(row, y, o, 1, n);
        mean[r] = m;
        rstd[r] = s;
      }
    });
    Shape rowsShape = Shape.of(Arrays.copyOf(shape.toArray(), shape.rank() - 1));
    return new EjmlTensor[] {
        new EjmlTensor(shape, y),
        new EjmlTensor(rowsShape, Storage.fromDoubles(dtype, mean)),
        new EjmlTensor(rowsShape, Storage.fromDoubles(dtype, rstd))};
  }

  /** {@code {dx, dWeight, dBias}} from the output gradient and the saved statistics. */
  static EjmlTensor[] layerNormBackward(EjmlTensor g, EjmlTensor x, EjmlTensor weight, EjmlTensor mean, EjmlTensor rstd,
      FloatMath floatMath) {
    EjmlBackend.requireSameDtype(Op.LAYER_NORM, g, x);
    checkArgument(g.shape().equals(x.shape()), "layer_norm gradient: shapes differ (gradient %s, input %s)", g.shape(), x.shape());
    Shape shape = x.shape();
    int n = shape.dim(-1);
    int rows = mean.shape().size();
    checkArgument(rstd.shape().size() == rows && (long) rows * n == shape.size(),
        "layer_norm gradient: statistics %s and %s do not fit input %s", mean.shape(), rstd.shape(), shape);
    DType dtype = x.dtype();
    double[] w = Storage.toDoubles(weight.data());
    double[] ms = Storage.toDoubles(mean.data());
    double[] ss = Storage.toDoubles(rstd.data());
    Object dx = Storage.allocateUnfilled(dtype, shape.size());
    Object gs = g.data();
    Object xs = x.data();
    // dx row by row (each row on its own), then dWeight and dBias column by column (each column
    // adds the rows in order): both split over threads, the same bits however split
    Parallel.forRange(rows, 4 * n, (r0, r1) -> {
      double[] xhat = new double[n];
      double[] gw = new double[n];
      for (int r = r0, o = r0 * n; r < r1; r++, o += n) {
        double m = ms[r];
        double s = ss[r];
        Storage.readLine(gs, o, 1, gw, n);
        Storage.readLine(xs, o, 1, xhat, n);
        for (int j = 0; j < n; j++) {
          xhat[j] = (xhat[j] - m) * s;
          gw[j] *= w[j];
        }
        double mean1 = floatMath.sumDoubles(gw, n) / n;
        double mean2 = floatMath.dotDoubles(gw, xhat, n) / n;
        for (int j = 0; j < n; j++) {
          gw[j] = s * (gw[j] - mean1 - xhat[j] * mean2);
        }
        Storage.writeLine(gw, dx, o, 1, n);
      }
    });
    double[] dw = new double[n];
    double[] db = new double[n];
    Parallel.forRange(n, 2 * rows, (j0, j1) -> {
      if (gs instanceof float[]) {
        floatMath.layerNormColumnSums((float[]) gs, (float[]) xs, ms, ss, rows, n, j0, j1, dw, db);
        return;
      }
      double[] gd = (double[]) gs;
      double[] xd = (double[]) xs;
      for (int r = 0, o = 0; r < rows; r++, o += n) {
        double m = ms[r];
        double s = ss[r];
        for (int j = j0; j < j1; j++) {
          double gj = gd[o + j];
          dw[j] += gj * ((xd[o + j] - m) * s);
          db[j] += gj;
        }
      }
    });
    return new EjmlTensor[] {
        new EjmlTensor(shape, dx),
        new EjmlTensor(weight.shape(), Storage.fromDoubles(dtype, dw)),
        new EjmlTensor(weight.shape(), Storage.fromDoubles(dtype, db))};
  }
}
