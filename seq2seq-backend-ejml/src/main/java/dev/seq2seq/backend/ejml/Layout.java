package dev.seq2seq.backend.ejml;

import static com.google.common.base.Preconditions.checkArgument;

import dev.seq2seq.api.backend.Op;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Shape;
import dev.seq2seq.backend.ejml.floatmath.FloatMath;
import java.util.Arrays;
import java.util.List;

/**
 * Layout kernels that move elements without arithmetic: reshape, permute, concat, slice and pad.
 *
 * <p>All but reshape are one operation, {@link #copyBox}: copy a box of elements from a strided
 * view of one array into a strided view of another. They differ only in the offsets and strides of
 * the two views. Being pure data movement, they work for every dtype.
 */
final class Layout {
  private Layout() {}

  /** The same storage seen with a new shape of the same size. */
  static EjmlTensor reshape(EjmlTensor x, Shape shape) {
    checkArgument(
        shape.size() == x.shape().size(), "reshape: cannot view %s (%s elements) as %s", x.shape(), x.shape().size(), shape);
    return new EjmlTensor(shape, x);
  }

  /** Output axis {@code i} is input axis {@code permutation[i]}. */
  static EjmlTensor permute(EjmlTensor x, int[] permutation) {
    int[] in = x.dims();
    if (permutation.length != in.length) {
      throw new IllegalArgumentException("permute: " + Arrays.toString(permutation) + " for " + x.shape());
    }
    int[] inStrides = x.shape().strides();
    int[] dims = new int[in.length];
    int[] srcStrides = new int[in.length];
    for (int i = 0; i < in.length; i++) {
      dims[i] = in[permutation[i]];
      srcStrides[i] = inStrides[permutation[i]];
    }
    Object out = Storage.allocateUnfilled(x.dtype(), x.shape().size());
    copyBox(dims, x.data(), 0, srcStrides, out, 0, StridedLoop.contiguousStrides(dims));
    return new EjmlTensor(Shape.of(dims), out);
  }

  /** The parts joined along {@code axis}; they share a dtype and every other dimension. */
  static EjmlTensor concat(List<EjmlTensor> parts, int axis) {
    checkArgument(!parts.isEmpty(), "concat: no tensors");
    EjmlTensor first = parts.get(0);
    int total = 0;
    for (EjmlTensor p : parts) {
      EjmlBackend.requireSameDtype(Op.CONCAT, first, p);
      total += p.shape().dim(axis);
    }
    Shape shape = first.shape().withDim(axis, total);
    int[] outStrides = shape.strides();
    Object out = Storage.allocateUnfilled(first.dtype(), shape.size());
    int offset = 0;
    for (EjmlTensor p : parts) {
      int[] dims = p.dims();
      copyBox(dims, p.data(), 0, p.shape().strides(), out, offset * outStrides[axis], outStrides);
      offset += dims[axis];
    }
    return new EjmlTensor(shape, out);
  }

  /** The box {@code [begin[i], begin[i] + size[i])} on every axis. */
  static EjmlTensor slice(EjmlTensor x, int[] begin, int[] size) {
    int[] strides = x.shape().strides();
    Object out = Storage.allocateUnfilled(x.dtype(), Shape.of(size).size());
    copyBox(size, x.data(), dot(begin, strides), strides, out, 0, StridedLoop.contiguousStrides(size));
    return new EjmlTensor(Shape.of(size), out);
  }

  /** {@code x} surrounded by {@code before[i]} and {@code after[i]} zeros on axis {@code i}. */
  static EjmlTensor pad(EjmlTensor x, int[] before, int[] after) {
    int[] dims = x.dims();
    int[] padded = new int[dims.length];
    for (int i = 0; i < dims.length; i++) {
      padded[i] = before[i] + dims[i] + after[i];
    }
    int[] outStrides = StridedLoop.contiguousStrides(padded);
    Object out = Storage.allocate(x.dtype(), Shape.of(padded).size());
    copyBox(dims, x.data(), 0, x.shape().strides(), out, dot(before, outStrides), outStrides);
    return new EjmlTensor(Shape.of(padded), out);
  }

  /**
   * {@code target[begin .. begin + addend.shape] += addend}, modifying {@code target}, which must be
   * owned by the caller alone (see {@link dev.seq2seq.api.backend.InPlaceAccumulator}); float32 rows
   * that are contiguous in both add by {@link FloatMath#addTo}.
   */
  static void addToBox(EjmlTensor target, EjmlTensor addend, int[] begin, FloatMath math) {
    EjmlBackend.requireSameDtype(Op.ADD, target, addend);
    EjmlBackend.requireFloating(Op.ADD, target);
    int[] dims = addend.dims();
    int[] outDims = target.dims();
    boolean fits = begin.length == outDims.length && dims.length == outDims.length;
    for (int i = 0; fits && i < dims.length; i++) {
      fits = begin[i] >= 0 && begin[i] + dims[i] <= outDims[i];
    }
    if (!fits) {
      throw new IllegalArgumentException("add into box: " + addend.shape() + " at " + Arrays.toString(begin)
          + " does not fit in " + target.shape());
    }
    int[] outStrides = target.shape().strides();
    StridedLoop loop = StridedLoop.of(dims, addend.shape().strides(), outStrides);
    int ss = loop.innerStride(0);
    int ds = loop.innerStride(1);
    int[] start = {0, dot(begin, outStrides)};
    if (target.dtype() == DType.FLOAT32) {
      float[] src = addend.floats();
      float[] dst = target.floats();
      loop.forEachRow(start, (o, n) -> {
        if (ss == 1 && ds == 1) {
          math.addTo(src, o[0], dst, o[1], n);
          return;
        }
        for (int j = 0, x = o[0], y = o[1]; j < n; j++, x += ss, y += ds) {
          dst[y] += src[x];
        }
      });
    } else {
      double[] src = addend.doubles();
      double[] dst = target.doubles();
      loop.forEachRow(start, (o, n) -> {
        for (int j = 0, x = o[0], y = o[1]; j < n; j++, x += ss, y += ds) {
          dst[y] += src[x];
        }
      });
    }
  }

  /**
   * Copies the box {@code dims} from {@code src} (starting at {@code srcOffset}, stepping by
   * {@code srcStrides}) to {@code dst} (starting at {@code dstOffset}, stepping by
   * {@code dstStrides}).
   */
  private static void copyBox(int[] dims, Object src, int srcOffset, int[] srcStrides, Object dst, int dstOffset, int[] dstStrides) {
    StridedLoop loop = StridedLoop.of(dims, srcStrides, dstStrides);
    int ss = loop.innerStride(0);
    int ds = loop.innerStride(1);
    loop.forEachBlockInParallel((o, step, count, n) -> { // a pure copy: the same result however split
      for (int r = 0; r < count; r++) {
        Storage.copy(src, srcOffset + o[0] + r * step[0], ss, dst, dstOffset + o[1] + r * step[1], ds, n);
      }
    });
  }

  private static int dot(int[] index, int[] strides) {
    int offset = 0;
    for (int i = 0; i < index.length; i++) {
      offset += index[i] * strides[i];
    }
    return offset;
  }
}
