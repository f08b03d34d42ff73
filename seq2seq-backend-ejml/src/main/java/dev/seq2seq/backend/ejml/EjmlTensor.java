package dev.seq2seq.backend.ejml;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;
import static com.google.common.base.Preconditions.checkState;

import dev.seq2seq.api.backend.RawTensor;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Shape;
import dev.seq2seq.backend.ejml.gemm.FloatGemm;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The heap-backed {@link RawTensor} of the {@code ejml} backend: a shape, a dtype and one row-major
 * Java array ({@code float[]}, {@code double[]} or {@code int[]}).
 *
 * <p>Instances are immutable (but for the in-place accumulation of {@link EjmlBackend}'s
 * {@link dev.seq2seq.api.backend.InPlaceAccumulator} into buffers nobody else reads, which drops
 * the derived forms below); kernels of this package read the array without copying and several
 * tensors may share one array (e.g. after a reshape), which is safe because nobody writes to it.
 * Read-back methods return fresh copies. {@link #close()} marks this tensor object as closed, after
 * which its read-back methods and any kernel given it throw {@link IllegalStateException}, as the
 * {@link RawTensor} contract asks; when it was the last open tensor on its array, the array goes to
 * the {@link ArrayPool} for reuse by a later kernel. Tensors nobody closes are left to the garbage
 * collector.
 *
 * <p>A float32 matrix that is the right operand of several products (a weight in every time step)
 * keeps it in the GEMM's packed layout from its second use on ({@link #packedRightOnReuse}), until
 * it is closed or written in place.
 */
public final class EjmlTensor implements RawTensor {
  private final Shape shape;
  private final DType dtype;
  private final Object data;
  /** The open tensors on {@link #data}: this one and its {@linkplain #EjmlTensor(Shape, EjmlTensor) views}. */
  private final AtomicInteger users;
  private boolean closed;
  /** Times this matrix was asked for {@link #packedRightOnReuse}; packed forms are built from the second on. */
  private int packRequests;
  /** This float32 matrix packed as a GEMM's right operand, as stored and transposed, once built; recycled with the tensor. */
  private volatile float[] packedAsStored;
  private volatile float[] packedTransposed;

  /**
   * Wraps {@code data} without copying; the caller hands over ownership and never writes to it again.
   *
   * @param data a {@code float[]}, {@code double[]} or {@code int[]} of exactly {@code shape.size()}
   *     elements; its type determines the dtype
   */
  EjmlTensor(Shape shape, Object data) {
    this.shape = checkNotNull(shape, "shape");
    this.dtype = Storage.dtypeOf(checkNotNull(data, "data"));
    checkArgument(
        Storage.length(data) == shape.size(),
        "ejml: %s elements do not fill shape %s (%s elements)",
        Storage.length(data),
        shape,
        shape.size());
    this.data = data;
    this.users = new AtomicInteger(1);
  }

  /** A view of {@code source}'s array with another shape of the same size; the array is recycled only when both are closed. */
  EjmlTensor(Shape shape, EjmlTensor source) {
    this.shape = checkNotNull(shape, "shape");
    this.dtype = source.dtype;
    checkArgument(shape.size() == source.shape.size(), "ejml: view %s of %s changes the size", shape, source.shape);
    this.data = source.data();
    this.users = source.users;
    users.incrementAndGet();
  }

  @Override
  public Shape shape() {
    return shape;
  }

  @Override
  public DType dtype() {
    return dtype;
  }

  @Override
  public float[] toFloatArray() {
    Object d = data();
    if (d instanceof float[]) {
      return ((float[]) d).clone();
    }
    return (float[]) Storage.fromDoubles(DType.FLOAT32, Storage.toDoubles(d));
  }

  @Override
  public double[] toDoubleArray() {
    return Storage.toDoubles(data());
  }

  @Override
  public int[] toIntArray() {
    checkState(dtype == DType.INT32, "toIntArray: tensor %s is %s, not int32", shape, dtype.label());
    return ints().clone();
  }

  /** Marks this tensor closed and recycles its array if no open view shares it; idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    forgetPacked();
    if (users.decrementAndGet() == 0) {
      ArrayPool.SHARED.give(data);
    }
  }

  /** The backing array, not a copy; never write to it. */
  Object data() {
    checkState(!closed, "ejml: tensor %s %s used after close()", dtype.label(), shape);
    return data;
  }

  /** The backing {@code float[]}; the dtype must be float32. */
  float[] floats() {
    checkState(dtype == DType.FLOAT32, "ejml: expected float32, got %s", dtype.label());
    return (float[]) data();
  }

  /** The backing {@code double[]}; the dtype must be float64. */
  double[] doubles() {
    checkState(dtype == DType.FLOAT64, "ejml: expected float64, got %s", dtype.label());
    return (double[]) data();
  }

  /** The backing {@code int[]}; the dtype must be int32. */
  int[] ints() {
    checkState(dtype == DType.INT32, "ejml: expected int32, got %s", dtype.label());
    return (int[]) data();
  }

  /**
   * This float32 tensor's matrices ({@code op(matrix)} = the matrix, or its transpose when
   * {@code transposed}) in {@code gemm}'s packed layout for right operands ({@link FloatGemm#packRight})
   * from the second request on, else {@code null}: kept until {@link #close()}, so a weight that is
   * the right operand of a product in every time step is packed once per value instead of in every
   * product (or read with a stride). A tensor of rank above 2 is a batch of matrices (an attention's
   * keys or values), packed one after another, matrix {@code i} from {@code i *
   * gemm.packedRightLength(k, n)}. Also {@code null} when {@code gemm} has no packed layout. In-place
   * writes ({@link #forgetPacked()}) drop the packed forms.
   */
  float[] packedRightOnReuse(FloatGemm gemm, boolean transposed) {
    float[] packed = transposed ? packedTransposed : packedAsStored;
    if (packed != null || ++packRequests < 2) {
      return packed;
    }
    int[] d = dims();
    checkState(d.length >= 2, "ejml: a rank-%s tensor packed as matrices", d.length);
    int rows = d[d.length - 2];
    int cols = d[d.length - 1];
    int k = transposed ? cols : rows;
    int n = transposed ? rows : cols;
    int length = gemm.packedRightLength(k, n);
    if (length < 0) {
      return null;
    }
    int matrices = rows * cols == 0 ? 0 : shape.size() / (rows * cols);
    packed = (float[]) Storage.allocateUnfilled(DType.FLOAT32, Math.multiplyExact(matrices, length));
    float[] values = floats();
    for (int i = 0; i < matrices; i++) {
      gemm.packRight(transposed, k, n, values, i * rows * cols, packed, i * length);
    }
    if (transposed) {
      packedTransposed = packed;
    } else {
      packedAsStored = packed;
    }
    return packed;
  }

  /** Drops the packed forms: called before every write into this tensor's array. */
  void forgetPacked() {
    float[] a = packedAsStored;
    float[] t = packedTransposed;
    packedAsStored = null;
    packedTransposed = null;
    packRequests = 0;
    if (a != null) {
      ArrayPool.SHARED.give(a);
    }
    if (t != null) {
      ArrayPool.SHARED.give(t);
    }
  }

  /** The dimensions as a fresh array (shorthand for {@code shape().toArray()}). */
  int[] dims() {
    return shape.toArray();
  }

  @Override
  public String toString() {
    return "EjmlTensor(" + dtype.label() + " " + shape + (closed ? ", closed)" : ")");
  }
}
