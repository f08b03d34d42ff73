package dev.seq2seq.backend.ejml;

import dev.seq2seq.api.backend.Op;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Shape;
import dev.seq2seq.backend.ejml.floatmath.FloatMath;
import dev.seq2seq.backend.ejml.gemm.Parallel;
import java.util.Arrays;
import java.util.function.DoubleBinaryOperator;
import java.util.function.IntBinaryOperator;

/**
 * Reductions over axis sets ({@code sum}, {@code mean}, {@code max}) and softmax along an axis.
 *
 * <p>A reduction walks the input once with a {@link StridedLoop} whose second operand is the
 * result, broadcast back to the input shape (stride 0 on reduced axes), and folds each element
 * into its result slot. Floating-point data accumulates in {@code double}, so float32 sums of
 * millions of terms stay accurate to float32 rounding; int32 sums wrap around like Java ints.
 */
final class Reductions {
  private Reductions() {}

  /** {@code op} over {@code axes} (sorted, distinct, in range); reduced axes kept as 1 or removed. */
  static EjmlTensor reduce(Op op, EjmlTensor x, int[] axes, boolean keepDims, FloatMath math) {
    Shape in = x.shape();
    int[] keptDims = in.toArray();
    long count = 1;
    for (int axis : axes) {
      count *= keptDims[axis];
      keptDims[axis] = 1;
    }
    Shape kept = Shape.of(keptDims);
    if (op != Op.MAX && x.dtype() == DType.FLOAT32 && areLeading(axes) && axes.length < in.rank() && in.dim(in.rank() - 1) > 1) {
      return new EjmlTensor(keepDims ? kept : removeAxes(in, axes), sumLeading(x.floats(), (int) count, kept.size(), op == Op.MEAN, math));
    }
    StridedLoop loop = StridedLoop.of(in.toArray(), in.strides(), StridedLoop.broadcastStrides(kept, in));
    Object result = x.dtype().isFloating() ? reduceFloating(op, x, loop, kept.size(), count, math) : reduceInt(op, x, loop, kept.size());
    return new EjmlTensor(keepDims ? kept : removeAxes(in, axes), result);
  }

  private static Object reduceFloating(Op op, EjmlTensor x, StridedLoop loop, int outSize, long count, FloatMath math) {
    DoubleBinaryOperator fold;
    double identity;
    switch (op) {
      case SUM:
      case MEAN:
        fold = Double::sum;
        identity = 0.0;
        break;
      case MAX:
        fold = Math::max;
        identity = Double.NEGATIVE_INFINITY;
        break;
      default:
        throw new IllegalArgumentException(op.label() + " is not a reduction");
    }
    double[] acc = ArrayPool.SHARED.unfilledDoubles(outSize);
    Arrays.fill(acc, identity);
    int sx = loop.innerStride(0);
    int sr = loop.innerStride(1);
    int rows = loop.rows();
    if (x.dtype() == DType.FLOAT32 && op != Op.MAX && sx == 1 && sr == 1) {
      // rows added into contiguous sums (leading axes reduced: a bias gradient), split by columns:
      // every column still sums the rows in order, so the same bits
      float[] data = x.floats();
      if (rows > 0) {
        Parallel.forRange(x.shape().size() / rows, rows,
            (j0, j1) -> loop.forEachRow((o, n) -> math.addWidened(data, o[0] + j0, acc, o[1] + j0, j1 - j0)));
      }
    } else if (x.dtype() == DType.FLOAT32 && op != Op.MAX) {
      float[] data = x.floats();
      loop.forEachRow((o, n) -> sumRow(data, o[0], sx, acc, o[1], sr, n));
    } else if (x.dtype() == DType.FLOAT32) {
      float[] data = x.floats();
      loop.forEachRow((o, n) -> {
        for (int j = 0, i = o[0], r = o[1]; j < n; j++, i += sx, r += sr) {
          acc[r] = fold.applyAsDouble(acc[r], data[i]);
        }
      });
    } else {
      double[] data = x.doubles();
      loop.forEachRow((o, n) -> {
        for (int j = 0, i = o[0], r = o[1]; j < n; j++, i += sx, r += sr) {
          acc[r] = fold.applyAsDouble(acc[r], data[i]);
        }
      });
    }
    if (op == Op.MEAN) {
      for (int r = 0; r < outSize; r++) {
        acc[r] /= count;
      }
    }
    Object out = Storage.fromDoubles(x.dtype(), acc);
    if (out != acc) {
      ArrayPool.SHARED.give(acc); // a temporary nobody else has seen
    }
    return out;
  }

  /**
   * Fewest columns a thread's share of {@link #sumLeading} takes: each row of a share is one
   * vector-widening call, and 16-column shares (eight chunks of a 128-wide bias) spent their time in
   * calls and loop tails.
   */
  private static final int COLUMN_BLOCK = 64;

  /**
   * Whether {@code axes} (sorted, distinct) are {@code 0, 1, ..., axes.length - 1}. With the last axis
   * kept (and longer than one) the general path adds whole rows into contiguous sums in row order,
   * which {@link #sumLeading} does too; whole-tensor sums keep {@link Sums}' four accumulators.
   */
  private static boolean areLeading(int[] axes) {
    for (int i = 0; i < axes.length; i++) {
      if (axes[i] != i) {
        return false;
      }
    }
    return true;
  }

  /**
   * The float32 sums (or means) of the {@code rows} rows of {@code data} viewed as {@code [rows, n]}:
   * reducing the leading axes, a bias gradient ({@code [B, T, N] -> [N]}). Each column adds the rows
   * in order in double (the bits of the general path; {@link FloatMath#addWidened} on lanes),
   * blocks of columns split over threads; the rows are
   * walked by index, where a row callback per row and chunk ({@link StridedLoop#forEachRow}) cost
   * ~20x the additions for rows of 128 (~300 us for a [1280, 128] bias gradient).
   */
  private static float[] sumLeading(float[] data, int rows, int n, boolean mean, FloatMath math) {
    double[] acc = ArrayPool.SHARED.unfilledDoubles(n);
    Arrays.fill(acc, 0, n, 0.0);
    int blocks = (n + COLUMN_BLOCK - 1) / COLUMN_BLOCK;
    Parallel.forRange(blocks, rows * COLUMN_BLOCK, (b0, b1) -> {
      int j0 = b0 * COLUMN_BLOCK;
      int width = Math.min(n, b1 * COLUMN_BLOCK) - j0;
      for (int r = 0; r < rows; r++) {
        math.addWidened(data, r * n + j0, acc, j0, width);
      }
    });
    float[] out = ArrayPool.SHARED.unfilledFloats(n);
    for (int j = 0; j < n; j++) {
      out[j] = (float) (mean ? acc[j] / rows : acc[j]);
    }
    ArrayPool.SHARED.give(acc);
    return out;
  }

  /**
   * {@code acc[r + j * sr] += data[i + j * sx]} for {@code j < n}, in double: a contiguous row into
   * one sum on {@link Sums}' four accumulators, otherwise in order (contiguous rows into contiguous
   * sums take {@link FloatMath#addWidened}).
   */
  private static void sumRow(float[] data, int i, int sx, double[] acc, int r, int sr, int n) {
    if (sr == 0 && sx == 1) {
      acc[r] += Sums.sum(data, i, n);
    } else if (sr == 0) {
      double s = acc[r];
      for (int j = 0; j < n; j++, i += sx) {
        s += data[i];
      }
      acc[r] = s;
    } else {
      for (int j = 0; j < n; j++, i += sx, r += sr) {
        acc[r] += data[i];
      }
    }
  }

  private static Object reduceInt(Op op, EjmlTensor x, StridedLoop loop, int outSize) {
    IntBinaryOperator fold;
    int[] acc = new int[outSize];
    switch (op) {
      case SUM:
        fold = Integer::sum;
        break;
      case MAX:
        fold = Math::max;
        Arrays.fill(acc, Integer.MIN_VALUE);
        break;
      case MEAN:
        throw EjmlBackend.unsupported(op, DType.INT32);
      default:
        throw new IllegalArgumentException(op.label() + " is not a reduction");
    }
    int[] data = x.ints();
    int sx = loop.innerStride(0);
    int sr = loop.innerStride(1);
    loop.forEachRow((o, n) -> {
      for (int j = 0, i = o[0], r = o[1]; j < n; j++, i += sx, r += sr) {
        acc[r] = fold.applyAsInt(acc[r], data[i]);
      }
    });
    return acc;
  }

  private static Shape removeAxes(Shape shape, int[] axes) {
    int[] dims = shape.toArray();
    int[] out = new int[dims.length - axes.length];
    for (int i = 0, a = 0, k = 0; i < dims.length; i++) {
      if (a < axes.length && axes[a] == i) {
        a++;
      } else {
        out[k++] = dims[i];
      }
    }
    return Shape.of(out);
  }

  /**
   * Softmax ({@code log == false}) or log-softmax along {@code axis}: each line is read into a
   * {@code double} scratch buffer, shifted by its maximum, normalized with a {@code double}
   * denominator and written back in the input dtype.
   */
  static EjmlTensor softmax(EjmlTensor x, int axis, boolean log, FloatMath floatMath) {
    Op op = log ? Op.LOG_SOFTMAX : Op.SOFTMAX;
    EjmlBackend.requireFloating(op, x);
    AxisLines lines = new AxisLines(x.shape(), axis);
    if (x.dtype() == DType.FLOAT32) {
      return softmaxFloat(x, lines, log, floatMath);
    }
    Object in = x.data();
    Object out = Storage.allocateUnfilled(x.dtype(), x.shape().size());
    double[] line = new double[lines.length];
    for (int l = 0, count = lines.count(); l < count; l++) {
      int start = lines.start(l);
      Storage.readLine(in, start, lines.inner, line, lines.length);
      normalize(line, lines.length, log);
      Storage.writeLine(line, out, start, lines.inner, lines.length);
    }
    return new EjmlTensor(x.shape(), out);
  }

  /**
   * Float32 softmax or log-softmax: along the last axis straight on the tensor's rows
   * ({@link #normalizeRows}); along another axis its lines are gathered into contiguous rows first
   * and scattered back after.
   */
  private static EjmlTensor softmaxFloat(EjmlTensor x, AxisLines lines, boolean log, FloatMath floatMath) {
    float[] in = x.floats();
    float[] out = ArrayPool.SHARED.unfilledFloats(in.length);
    int n = lines.length;
    if (lines.inner == 1) {
      normalizeRows(in, out, n, log, floatMath);
      return new EjmlTensor(x.shape(), out);
    }
    int step = lines.inner;
    float[] rows = ArrayPool.SHARED.unfilledFloats(in.length);
    for (int l = 0, count = lines.count(); l < count; l++) {
      for (int j = 0, i = lines.start(l); j < n; j++, i += step) {
        rows[l * n + j] = in[i];
      }
    }
    normalizeRows(rows, rows, n, log, floatMath);
    for (int l = 0, count = lines.count(); l < count; l++) {
      for (int j = 0, i = lines.start(l); j < n; j++, i += step) {
        out[i] = rows[l * n + j];
      }
    }
    ArrayPool.SHARED.give(rows);
    return new EjmlTensor(x.shape(), out);
  }

  /**
   * The softmax or log-softmax of each contiguous row of {@code n} in {@code in}, into {@code out}
   * (which may be {@code in}), pass by pass over the whole array: {@code x - max} row by row, every
   * exponential in one {@link FloatMath#exp} call, then each row's sum in double ({@link Sums}) and,
   * in float, softmax {@code e * (1 / sum)} or log-softmax {@code (x - max) - log(sum)}, each within
   * about one unit in the last place. Short rows (attention over 20 keys: a [64, 4, 20, 20] softmax
   * took 0.48 ms row by row, 0.18 ms so) spent most of their time in per-row calls and exp's scalar
   * tail; the last step in double (every element converted there and back) took half of a [1280,
   * 1000] log-softmax.
   */
  private static void normalizeRows(float[] in, float[] out, int n, boolean log, FloatMath floatMath) {
    if (in.length == 0) {
      return; // no rows, or rows of no elements
    }
    float[] e = log ? ArrayPool.SHARED.unfilledFloats(in.length) : out;
    Parallel.forRange(in.length / n, n, (r0, r1) -> normalizeRows(in, out, e, n, log, floatMath, r0 * n, r1 * n));
    if (log) {
      ArrayPool.SHARED.give(e);
    }
  }

  /** {@link #normalizeRows} on the rows in {@code [begin, end)}, the exponentials in {@code e} (which may be {@code out} for softmax). */
  private static void normalizeRows(float[] in, float[] out, float[] e, int n, boolean log, FloatMath floatMath, int begin, int end) {
    for (int start = begin; start < end; start += n) { // out = x - max, row by row
      float max = Float.NEGATIVE_INFINITY;
      for (int j = start; j < start + n; j++) {
        max = Math.max(max, in[j]);
      }
      for (int j = start; j < start + n; j++) {
        out[j] = in[j] - max;
      }
    }
    floatMath.exp(out, e, begin, end);
    for (int start = begin; start < end; start += n) {
      double sum = Sums.sum(e, start, n);
      if (log) {
        float logSum = (float) Math.log(sum);
        for (int j = start; j < start + n; j++) {
          out[j] -= logSum;
        }
      } else {
        float reciprocal = (float) (1.0 / sum);
        for (int j = start; j < start + n; j++) {
          out[j] *= reciprocal;
        }
      }
    }
  }

  /** Replaces {@code v[0..n)} by its softmax or log-softmax. */
  private static void normalize(double[] v, int n, boolean log) {
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      max = Math.max(max, v[i]);
    }
    double sum = 0.0;
    if (log) {
      for (int i = 0; i < n; i++) {
        sum += Math.exp(v[i] - max);
      }
      double logSum = Math.log(sum);
      for (int i = 0; i < n; i++) {
        v[i] = (v[i] - max) - logSum;
      }
    } else {
      for (int i = 0; i < n; i++) {
        v[i] = Math.exp(v[i] - max);
        sum += v[i];
      }
      for (int i = 0; i < n; i++) {
        v[i] /= sum;
      }
    }
  }
}
