package dev.seq2seq.api.backend;

import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Shape;
import java.util.List;

/**
 * A tensor engine: creates {@link RawTensor}s and runs the forward kernels of every {@link Op}.
 *
 * <p>Backends implement forward computation only; gradients are composed above them by
 * {@code dev.seq2seq.api.autodiff} from these same kernels, so every composition trains on every
 * backend. A backend is obtained from {@link Backends}, never constructed by model code.
 *
 * <h2>Contract</h2>
 *
 * <ul>
 *   <li>Arguments are validated by the tensor layer before a kernel is called: shapes are
 *       compatible, axes are normalized into {@code [0, rank)}, dtypes agree. Kernels may rely on
 *       it. The one exception is data-dependent: {@link #gather} and {@link #scatterAdd} must throw
 *       {@link IllegalArgumentException} naming the op, the index and the valid range when an index
 *       is out of range.
 *   <li>Inputs are never modified; every kernel returns a new raw tensor (it may share immutable
 *       storage with its input, e.g. {@link #reshape}).
 *   <li>Broadcasting follows NumPy (see {@link Shape#broadcast}).
 *   <li>Float32 reductions (sum, mean, softmax denominators, scatter-add) should accumulate in
 *       higher precision or pairwise so that results agree across backends within the float32
 *       tolerances. Matmul may accumulate in float32, as BLAS libraries do.
 *   <li>Float32 results of {@code exp}, {@code sigmoid}, multiplication and division whose magnitude
 *       is below 2^-126 (subnormal) are zero with their sign, as in flush-to-zero arithmetic
 *       (TensorFlow's CPU kernels run so; subnormal operands cost Intel cores a microcode assist per
 *       vector instruction, up to ~100x). Other kernels may flush subnormals as well.
 *   <li>A kernel a backend lacks for some dtype throws {@link UnsupportedOpException}.
 * </ul>
 */
public interface Backend {
  /** Short unique name used by the selection switch, e.g. {@code ejml}. */
  String name();

  /** One line on what is loaded: library version, native build, device. */
  String description();

  /** A float32 tensor holding a copy of {@code data} (row-major, {@code data.length == shape.size()}). */
  RawTensor fromFloats(float[] data, Shape shape);

  /** A float64 tensor holding a copy of {@code data}. */
  RawTensor fromDoubles(double[] data, Shape shape);

  /** An int32 tensor holding a copy of {@code data}. */
  RawTensor fromInts(int[] data, Shape shape);

  /** Elementwise {@code f(x)} for an op of {@link Op.Kind#UNARY} on a floating dtype. */
  RawTensor unary(Op op, RawTensor x);

  /**
   * Elementwise {@code a op b} for an op of {@link Op.Kind#BINARY}; same dtype, broadcast shapes.
   * Comparisons yield 1 or 0 in the inputs' dtype.
   */
  RawTensor binary(Op op, RawTensor a, RawTensor b);

  /**
   * Reduction of an op of {@link Op.Kind#REDUCE} over {@code axes} (sorted, distinct, normalized;
   * never empty). With {@code keepDims} the reduced axes stay as size 1, otherwise they are removed.
   */
  RawTensor reduce(Op op, RawTensor x, int[] axes, boolean keepDims);

  /**
   * Matrix product {@code op(a) @ op(b)} over the last two axes, where {@code op} transposes those
   * two axes when its flag is set. Both ranks are at least 2; leading (batch) axes broadcast.
   * Shapes {@code [..., M, K] x [..., K, N] -> [..., M, N]} after the transposes.
   */
  RawTensor matmul(RawTensor a, RawTensor b, boolean transposeA, boolean transposeB);

  /** Softmax along {@code axis}, computed stably (subtracting the maximum). */
  RawTensor softmax(RawTensor x, int axis);

  /** Log-softmax along {@code axis}, computed stably. */
  RawTensor logSoftmax(RawTensor x, int axis);

  /** The same elements in row-major order with a new shape of the same size. */
  RawTensor reshape(RawTensor x, Shape shape);

  /** Output axis {@code i} is input axis {@code permutation[i]}. */
  RawTensor permute(RawTensor x, int[] permutation);

  /** Joins tensors of one dtype that agree on every axis but {@code axis}. */
  RawTensor concat(List<RawTensor> parts, int axis);

  /** The box {@code [begin[i], begin[i] + size[i])} on every axis {@code i}. */
  RawTensor slice(RawTensor x, int[] begin, int[] size);

  /** {@code x} surrounded by {@code before[i]} and {@code after[i]} zeros on axis {@code i}. */
  RawTensor pad(RawTensor x, int[] before, int[] after);

  /**
   * Picks entries of {@code table} along {@code axis} by the int32 {@code indices}: the result has
   * shape {@code table[:axis] + indices + table[axis+1:]}.
   */
  RawTensor gather(RawTensor table, RawTensor indices, int axis);

  /**
   * The adjoint of {@link #gather}: a zero tensor of {@code outShape} into which each slice of
   * {@code updates} (shape {@code outShape[:axis] + indices + outShape[axis+1:]}) is added at its
   * index along {@code axis}; repeated indices accumulate.
   */
  RawTensor scatterAdd(RawTensor indices, RawTensor updates, int axis, Shape outShape);

  /** {@code cond != 0 ? a : b} elementwise; all three broadcast; {@code a} and {@code b} share a dtype. */
  RawTensor where(RawTensor cond, RawTensor a, RawTensor b);

  /** Converts the elements to {@code dtype}; float to int truncates toward zero. */
  RawTensor cast(RawTensor x, DType dtype);

  /** Int32 index of the maximum along {@code axis}, which is removed; the first index on ties. */
  RawTensor argmax(RawTensor x, int axis);

  /**
   * The {@code k} largest entries along the last axis in descending order (lower index first on
   * ties): {@code [values, int32 indices]}, both of shape {@code x[:-1] + [k]}.
   */
  RawTensor[] topK(RawTensor x, int k);
}
