package dev.seq2seq.backend.ejml;

import static com.google.common.base.Preconditions.checkArgument;

import dev.seq2seq.api.backend.Op;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Shape;
import java.util.Arrays;

/**
 * Layer normalisation over the last axis, forward and backward, one row of {@code n} elements at a
 * time (the {@link dev.seq2seq.api.backend.LayerNormKernel} formulas). Statistics, sums and every
 * element are computed in double and rounded once to the dtype; the saved mean and reciprocal
 * standard deviation are kept in the dtype.
 */
final class Normalization {
  private Normalization() {}

  /** {@code {y, mean, rstd}} for {@code x [..., n]}, {@code weight [n]}, {@code bias [n]}. */
  static EjmlTensor[] layerNorm(EjmlTensor x, EjmlTensor weight, EjmlTensor bias, double eps) {
    EjmlBackend.requireFloating(Op.LAYER_NORM, x);
    EjmlBackend.requireSameDtype(Op.LAYER_NORM, x, weight);
    EjmlBackend.requireSameDtype(Op.LAYER_NORM, x, bias);
    Shape shape = x.shape();
    checkArgument(shape.rank() >= 1, "layer_norm: input %s needs at least one axis", shape);
    int n = shape.dim(-1);
    checkArgument(weight.shape().equals(Shape.of(n)) && bias.shape().equals(Shape.of(n)),
        "layer_norm: weight %s and bias %s must both be [%s] for input %s", weight.shape(), bias.shape(), n, shape);
    int rows = n == 0 ? 0 : shape.size() / n;
    double[] xs = read(x);
    double[] w = read(weight);
    double[] b = read(bias);
    double[] y = ArrayPool.SHARED.unfilledDoubles(xs.length);
    double[] mean = new double[rows];
    double[] rstd = new double[rows];
    for (int r = 0, o = 0; r < rows; r++, o += n) {
      double sum = 0;
      for (int j = 0; j < n; j++) {
        sum += xs[o + j];
      }
      double m = sum / n;
      double squares = 0;
      for (int j = 0; j < n; j++) {
        double d = xs[o + j] - m;
        squares += d * d;
      }
      double s = 1.0 / Math.sqrt(squares / n + eps);
      for (int j = 0; j < n; j++) {
        y[o + j] = (xs[o + j] - m) * s * w[j] + b[j];
      }
      mean[r] = m;
      rstd[r] = s;
    }
    Shape rowsShape = Shape.of(Arrays.copyOf(shape.toArray(), shape.rank() - 1));
    EjmlTensor[] out = {result(x.dtype(), shape, y), result(x.dtype(), rowsShape, mean), result(x.dtype(), rowsShape, rstd)};
    done(xs, x);
    done(w, weight);
    done(b, bias);
    return out;
  }

  /** {@code {dx, dWeight, dBias}} from the output gradient and the saved statistics. */
  static EjmlTensor[] layerNormBackward(EjmlTensor g, EjmlTensor x, EjmlTensor weight, EjmlTensor mean, EjmlTensor rstd) {
    EjmlBackend.requireSameDtype(Op.LAYER_NORM, g, x);
    checkArgument(g.shape().equals(x.shape()), "layer_norm gradient: shapes differ (gradient %s, input %s)", g.shape(), x.shape());
    Shape shape = x.shape();
    int n = shape.dim(-1);
    int rows = mean.shape().size();
    checkArgument(rstd.shape().size() == rows && (long) rows * n == shape.size(),
        "layer_norm gradient: statistics %s and %s do not fit input %s", mean.shape(), rstd.shape(), shape);
    double[] gs = read(g);
    double[] xs = read(x);
    double[] w = read(weight);
    double[] ms = read(mean);
    double[] ss = read(rstd);
    double[] dx = ArrayPool.SHARED.unfilledDoubles(xs.length);
    double[] dw = new double[n];
    double[] db = new double[n];
    double[] xhat = new double[n];
    for (int r = 0, o = 0; r < rows; r++, o += n) {
      double m = ms[r];
      double s = ss[r];
      double sum1 = 0;
      double sum2 = 0;
      for (int j = 0; j < n; j++) {
        double h = (xs[o + j] - m) * s;
        double gj = gs[o + j];
        double d = gj * w[j];
        xhat[j] = h;
        sum1 += d;
        sum2 += d * h;
        dw[j] += gj * h;
        db[j] += gj;
      }
      double mean1 = sum1 / n;
      double mean2 = sum2 / n;
      for (int j = 0; j < n; j++) {
        dx[o + j] = s * (gs[o + j] * w[j] - mean1 - xhat[j] * mean2);
      }
    }
    DType dtype = x.dtype();
    EjmlTensor[] out = {result(dtype, shape, dx), result(dtype, weight.shape(), dw), result(dtype, weight.shape(), db)};
    done(gs, g);
    done(xs, x);
    done(w, weight);
    done(ms, mean);
    done(ss, rstd);
    return out;
  }

  /** The elements of {@code t} in double: its own array (read only!) for float64, else a pooled copy. */
  private static double[] read(EjmlTensor t) {
    if (t.dtype() == DType.FLOAT64) {
      return t.doubles();
    }
    double[] copy = ArrayPool.SHARED.unfilledDoubles(t.shape().size());
    Storage.readLine(t.data(), 0, 1, copy, copy.length);
    return copy;
  }

  /** Hands a copy made by {@link #read} back to the pool (the tensor's own array stays). */
  private static void done(double[] values, EjmlTensor source) {
    if (source.dtype() != DType.FLOAT64) {
      ArrayPool.SHARED.give(values);
    }
  }

  /** A tensor of {@code values} in {@code dtype}; a double temporary that was converted goes back to the pool. */
  private static EjmlTensor result(DType dtype, Shape shape, double[] values) {
    Object data = Storage.fromDoubles(dtype, values);
    if (data != values) {
      ArrayPool.SHARED.give(values);
    }
    return new EjmlTensor(shape, data);
  }
}
