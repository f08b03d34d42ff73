package dev.seq2seq.backend.ejml;

import static com.google.common.base.Preconditions.checkArgument;

import dev.seq2seq.api.backend.Op;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Shape;
import dev.seq2seq.backend.ejml.floatmath.FloatMath;
import java.util.Arrays;

/**
 * Index-driven kernels: gather and its adjoint scatter-add, argmax and top-k.
 *
 * <p>Gather and scatter-add view the table as {@code [outer, n, inner]} around the indexed axis
 * (see {@link AxisLines}) and move whole {@code inner}-element runs, so they serve every dtype.
 * Every index is checked before any work is done. Argmax and top-k read each line into a
 * {@code double} buffer (exact for all dtypes) and rank it there.
 */
final class Indexing {
  private Indexing() {}

  /** Entries of {@code table} along {@code axis} picked by int32 {@code indices}. */
  static EjmlTensor gather(EjmlTensor table, EjmlTensor indices, int axis) {
    int[] idx = indicesOf(Op.GATHER, indices);
    AxisLines lines = new AxisLines(table.shape(), axis);
    checkRange(Op.GATHER, idx, lines.length, axis);
    Shape shape = Shape.of(replaceAxis(table.dims(), axis, indices.dims()));
    Object src = table.data();
    Object out = Storage.allocateUnfilled(table.dtype(), shape.size());
    int inner = lines.inner;
    for (int o = 0, d = 0; o < lines.outer; o++) {
      int base = o * lines.length;
      for (int p = 0; p < idx.length; p++, d += inner) {
        System.arraycopy(src, (base + idx[p]) * inner, out, d, inner);
      }
    }
    return new EjmlTensor(shape, out);
  }

  /**
   * A zero tensor of {@code outShape} into which each {@code inner}-run of {@code updates} is added
   * at its index along {@code axis}; repeated indices accumulate (in double for floating types).
   */
  static EjmlTensor scatterAdd(EjmlTensor indices, EjmlTensor updates, int axis, Shape outShape) {
    int[] idx = indicesOf(Op.SCATTER_ADD, indices);
    AxisLines lines = new AxisLines(outShape, axis);
    int[] expected = replaceAxis(outShape.toArray(), axis, indices.dims());
    checkArgument(
        Arrays.equals(expected, updates.dims()),
        "scatter_add: updates %s do not fit indices %s into %s on axis %s",
        updates.shape(),
        indices.shape(),
        outShape,
        axis);
    checkRange(Op.SCATTER_ADD, idx, lines.length, axis);
    Object src = updates.data();
    Object acc = Storage.allocateAccumulator(updates.dtype(), outShape.size());
    int inner = lines.inner;
    for (int o = 0, s = 0; o < lines.outer; o++) {
      int base = o * lines.length;
      for (int p = 0; p < idx.length; p++, s += inner) {
        Storage.accumulate(src, s, acc, (base + idx[p]) * inner, inner);
      }
    }
    return new EjmlTensor(outShape, Storage.fromAccumulator(updates.dtype(), acc));
  }

  /**
   * {@code target} with each {@code inner}-run of {@code updates} added at its index along
   * {@code axis}, in place and in the element type, index positions in order (autodiff's sum of an
   * embedding's gradient over its gathers; float32 runs by {@link FloatMath#addTo}); every index is
   * checked before anything is added.
   */
  static void scatterAddInPlace(EjmlTensor target, EjmlTensor indices, EjmlTensor updates, int axis, FloatMath math) {
    EjmlBackend.requireFloating(Op.SCATTER_ADD, target);
    EjmlBackend.requireSameDtype(Op.SCATTER_ADD, target, updates);
    int[] idx = indicesOf(Op.SCATTER_ADD, indices);
    AxisLines lines = new AxisLines(target.shape(), axis);
    int[] expected = replaceAxis(target.dims(), axis, indices.dims());
    checkArgument(Arrays.equals(expected, updates.dims()),
        "scatter_add in place: updates %s do not fit indices %s into %s on axis %s (expected updates %s)",
        updates.shape(), indices.shape(), target.shape(), axis, Arrays.toString(expected));
    checkRange(Op.SCATTER_ADD, idx, lines.length, axis);
    int inner = lines.inner;
    if (target.dtype() == DType.FLOAT32) {
      float[] src = updates.floats();
      float[] dst = target.floats();
      for (int o = 0, s = 0; o < lines.outer; o++) {
        int base = o * lines.length;
        for (int p = 0; p < idx.length; p++, s += inner) {
          math.addTo(src, s, dst, (base + idx[p]) * inner, inner);
        }
      }
      return;
    }
    double[] src = updates.doubles();
    double[] dst = target.doubles();
    for (int o = 0, s = 0; o < lines.outer; o++) {
      int base = o * lines.length;
      for (int p = 0; p < idx.length; p++, s += inner) {
        for (int j = 0, d = (base + idx[p]) * inner; j < inner; j++) {
          dst[d + j] += src[s + j];
        }
      }
    }
  }

  private static int[] indicesOf(Op op, EjmlTensor indices) {
    checkArgument(
        indices.dtype() == DType.INT32, "%s: indices must be int32, got %s %s", op.label(), indices.dtype().label(), indices.shape());
    return indices.ints();
  }

  private static void checkRange(Op op, int[] idx, int n, int axis) {
    for (int i : idx) {
      if (i < 0 || i >= n) {
        throw new IllegalArgumentException(
            String.format("%s: index %d out of range [0, %d) on axis %d", op.label(), i, n, axis));
      }
    }
  }

  /** {@code dims[:axis] + inserted + dims[axis+1:]}. */
  private static int[] replaceAxis(int[] dims, int axis, int[] inserted) {
    int[] out = new int[dims.length - 1 + inserted.length];
    System.arraycopy(dims, 0, out, 0, axis);
    System.arraycopy(inserted, 0, out, axis, inserted.length);
    System.arraycopy(dims, axis + 1, out, axis + inserted.length, dims.length - axis - 1);
    return out;
  }

  /** Int32 index of the first maximum along {@code axis}, which is removed. */
  static EjmlTensor argmax(EjmlTensor x, int axis) {
    AxisLines lines = new AxisLines(x.shape(), axis);
    checkArgument(lines.length > 0, "argmax: axis %s of %s is empty", axis, x.shape());
    Object in = x.data();
    double[] line = new double[lines.length];
    int[] out = new int[lines.count()];
    for (int l = 0; l < out.length; l++) {
      Storage.readLine(in, lines.start(l), lines.inner, line, lines.length);
      int best = 0;
      for (int i = 1; i < lines.length; i++) {
        if (line[i] > line[best]) {
          best = i;
        }
      }
      out[l] = best;
    }
    int[] dims = x.dims();
    int[] shape = new int[dims.length - 1];
    System.arraycopy(dims, 0, shape, 0, axis);
    System.arraycopy(dims, axis + 1, shape, axis, dims.length - axis - 1);
    return new EjmlTensor(Shape.of(shape), out);
  }

  /**
   * The {@code k} largest entries along the last axis, descending, lower index first on ties:
   * {@code [values in x's dtype, int32 indices]}.
   */
  static EjmlTensor[] topK(EjmlTensor x, int k) {
    int rank = x.shape().rank();
    checkArgument(rank >= 1, "top_k: needs rank >= 1, got a scalar");
    int n = x.shape().dim(rank - 1);
    checkArgument(k >= 1 && k <= n, "top_k: k = %s out of range [1, %s] for %s", k, n, x.shape());
    int rows = x.shape().size() / n;
    Object in = x.data();
    double[] line = new double[n];
    double[] best = new double[k];
    int[] bestIndex = new int[k];
    double[] values = new double[rows * k];
    int[] indices = new int[rows * k];
    for (int r = 0; r < rows; r++) {
      Storage.readLine(in, r * n, 1, line, n);
      selectTop(line, n, best, bestIndex);
      System.arraycopy(best, 0, values, r * k, k);
      System.arraycopy(bestIndex, 0, indices, r * k, k);
    }
    Shape shape = x.shape().withDim(rank - 1, k);
    return new EjmlTensor[] {new EjmlTensor(shape, Storage.fromDoubles(x.dtype(), values)), new EjmlTensor(shape, indices)};
  }

  /**
   * Fills {@code best}/{@code bestIndex} with the {@code best.length} largest of {@code v[0..n)},
   * descending, by insertion into a sorted prefix: an element enters after every kept element not
   * smaller than it, so among equal values the earlier index stays first.
   */
  private static void selectTop(double[] v, int n, double[] best, int[] bestIndex) {
    int k = best.length;
    int filled = 0;
    for (int i = 0; i < n; i++) {
      double value = v[i];
      if (filled == k && !(value > best[k - 1])) {
        continue;
      }
      int pos = Math.min(filled, k - 1);
      while (pos > 0 && value > best[pos - 1]) {
        pos--;
      }
      int moved = Math.min(filled, k - 1) - pos;
      System.arraycopy(best, pos, best, pos + 1, moved);
      System.arraycopy(bestIndex, pos, bestIndex, pos + 1, moved);
      best[pos] = value;
      bestIndex[pos] = i;
      filled = Math.min(filled + 1, k);
    }
  }
}
