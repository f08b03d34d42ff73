package dev.seq2seq.api.tensor;

import static com.google.common.base.Preconditions.checkArgument;

import dev.seq2seq.api.backend.Backend;
import dev.seq2seq.api.backend.Op;
import dev.seq2seq.api.backend.RawTensor;
import java.util.Arrays;
import java.util.List;

/**
 * An immutable n-dimensional array on a {@link Backend} that records how it was computed, so that
 * {@link Gradients} can differentiate through it.
 *
 * <p>Every method returns a new tensor and leaves its inputs unchanged. Binary operations
 * broadcast NumPy-style ({@link Shape#broadcast}); both operands must share a backend and a dtype.
 * Axis arguments may be negative (counted from the end). Errors name the op and the shapes, e.g.
 * {@code matmul: [64, 256] x [128, 1024]: inner dimensions differ (256 vs 128)}.
 *
 * <p>A tensor <em>requires grad</em> if it is a leaf marked with {@link #requiringGrad()} (a
 * trainable parameter) or was computed, while {@link GradMode} was enabled, from one that does.
 * Create tensors with {@link Tensors}.
 */
public final class Tensor {
  private final Backend backend;
  private final RawTensor raw;
  private final boolean leafRequiresGrad;
  final Node node;

  Tensor(Backend backend, RawTensor raw, boolean leafRequiresGrad, Node node) {
    this.backend = backend;
    this.raw = raw;
    this.leafRequiresGrad = leafRequiresGrad;
    this.node = node;
  }

  /**
   * Wraps a raw tensor just made by {@code backend} as a constant (no gradient); the current
   * {@link TensorScope}, if any, takes ownership of it.
   */
  public static Tensor wrap(Backend backend, RawTensor raw) {
    TensorScope.track(raw);
    return new Tensor(backend, raw, false, null);
  }

  // ---------------------------------------------------------------- core

  /** The backend that holds the data. */
  public Backend backend() {
    return backend;
  }

  /** The backend's data; for backend and framework code. */
  public RawTensor raw() {
    return raw;
  }

  /** The dimensions. */
  public Shape shape() {
    return raw.shape();
  }

  /** The element type. */
  public DType dtype() {
    return raw.dtype();
  }

  /** Number of dimensions. */
  public int rank() {
    return raw.shape().rank();
  }

  /** Dimension {@code axis} (negative counts from the end). */
  public int dim(int axis) {
    return raw.shape().dim(axis);
  }

  /** Number of elements. */
  public int size() {
    return raw.shape().size();
  }

  /** Row-major copy of the elements as float. */
  public float[] toFloatArray() {
    return raw.toFloatArray();
  }

  /** Row-major copy of the elements as double. */
  public double[] toDoubleArray() {
    return raw.toDoubleArray();
  }

  /** Row-major copy of the elements of an int32 tensor. */
  public int[] toIntArray() {
    return raw.toIntArray();
  }

  /**
   * The single element of a one-element tensor.
   *
   * @throws IllegalArgumentException if the tensor has more or fewer than one element
   */
  public double item() {
    checkArgument(size() == 1, "item: tensor of shape %s has %s elements, expected 1", shape(), size());
    return raw.toDoubleArray()[0];
  }

  // ---------------------------------------------------------------- autodiff

  /** Whether gradients flow to this tensor (a grad-requiring leaf or computed from one). */
  public boolean requiresGrad() {
    return leafRequiresGrad || node != null;
  }

  /** Whether this is a leaf: not the result of a recorded operation. */
  public boolean isLeaf() {
    return node == null;
  }

  /** A leaf sharing this data that requires grad: a trainable value. */
  public Tensor requiringGrad() {
    checkArgument(dtype().isFloating(), "requiringGrad: only floating-point tensors have gradients, got %s", dtype().label());
    return new Tensor(backend, raw, true, null);
  }

  /** A constant leaf sharing this data: gradients stop here. */
  public Tensor detach() {
    return node == null && !leafRequiresGrad ? this : new Tensor(backend, raw, false, null);
  }

  // ---------------------------------------------------------------- elementwise

  /** {@code -x}. */
  public Tensor neg() {
    return Primitives.unary(Op.NEG, this);
  }

  /** {@code e^x}. */
  public Tensor exp() {
    return Primitives.unary(Op.EXP, this);
  }

  /** Natural logarithm. */
  public Tensor log() {
    return Primitives.unary(Op.LOG, this);
  }

  /** Square root. */
  public Tensor sqrt() {
    return Primitives.unary(Op.SQRT, this);
  }

  /** Hyperbolic tangent. */
  public Tensor tanh() {
    return Primitives.unary(Op.TANH, this);
  }

  /** Logistic sigmoid {@code 1 / (1 + e^-x)}. */
  public Tensor sigmoid() {
    return Primitives.unary(Op.SIGMOID, this);
  }

  /** {@code max(x, 0)}. */
  public Tensor relu() {
    return Primitives.unary(Op.RELU, this);
  }

  /** {@code x * x}. */
  public Tensor square() {
    return mul(this);
  }

  /** {@code this + other}, broadcasting. */
  public Tensor add(Tensor other) {
    return Primitives.binary(Op.ADD, this, other);
  }

  /** {@code this + c}. */
  public Tensor add(double c) {
    return add(scalarLike(c));
  }

  /** {@code this - other}, broadcasting. */
  public Tensor sub(Tensor other) {
    return Primitives.binary(Op.SUB, this, other);
  }

  /** {@code this - c}. */
  public Tensor sub(double c) {
    return sub(scalarLike(c));
  }

  /** {@code this * other}, broadcasting. */
  public Tensor mul(Tensor other) {
    return Primitives.binary(Op.MUL, this, other);
  }

  /** {@code this * c}. */
  public Tensor mul(double c) {
    return mul(scalarLike(c));
  }

  /** {@code this / other}, broadcasting. */
  public Tensor div(Tensor other) {
    return Primitives.binary(Op.DIV, this, other);
  }

  /** {@code this / c}. */
  public Tensor div(double c) {
    return div(scalarLike(c));
  }

  /** {@code max(this, other)} elementwise, broadcasting. */
  public Tensor maximum(Tensor other) {
    return Primitives.binary(Op.MAXIMUM, this, other);
  }

  /** {@code this == other} as 1/0 in this dtype. */
  public Tensor eq(Tensor other) {
    return Primitives.binary(Op.EQUAL, this, other);
  }

  /** {@code this == c} as 1/0 in this dtype. */
  public Tensor eq(double c) {
    return eq(scalarLike(c));
  }

  /** {@code this > other} as 1/0 in this dtype. */
  public Tensor gt(Tensor other) {
    return Primitives.binary(Op.GREATER, this, other);
  }

  /** {@code this > c} as 1/0 in this dtype. */
  public Tensor gt(double c) {
    return gt(scalarLike(c));
  }

  /** {@code this < other} as 1/0 in this dtype. */
  public Tensor lt(Tensor other) {
    return Primitives.binary(Op.LESS, this, other);
  }

  /** {@code this < c} as 1/0 in this dtype. */
  public Tensor lt(double c) {
    return lt(scalarLike(c));
  }

  /** {@code cond != 0 ? a : b}, broadcasting all three. */
  public static Tensor where(Tensor cond, Tensor a, Tensor b) {
    return Primitives.where(cond, a, b);
  }

  /** This tensor converted to {@code dtype}. */
  public Tensor cast(DType dtype) {
    return Primitives.cast(this, dtype);
  }

  private Tensor scalarLike(double c) {
    return Tensors.scalar(backend, dtype(), c);
  }

  // ---------------------------------------------------------------- reductions

  /** Sum of all elements, a scalar. */
  public Tensor sum() {
    return Primitives.reduce(Op.SUM, this, new int[0], false);
  }

  /** Sum over {@code axes} (all axes when empty). */
  public Tensor sum(int[] axes, boolean keepDims) {
    return Primitives.reduce(Op.SUM, this, axes, keepDims);
  }

  /** Sum over one axis, removing it. */
  public Tensor sum(int axis) {
    return sum(new int[] {axis}, false);
  }

  /** Mean of all elements, a scalar. */
  public Tensor mean() {
    return Primitives.reduce(Op.MEAN, this, new int[0], false);
  }

  /** Mean over {@code axes} (all axes when empty). */
  public Tensor mean(int[] axes, boolean keepDims) {
    return Primitives.reduce(Op.MEAN, this, axes, keepDims);
  }

  /** Maximum over {@code axes} (all axes when empty). */
  public Tensor max(int[] axes, boolean keepDims) {
    return Primitives.reduce(Op.MAX, this, axes, keepDims);
  }

  /** Int32 index of the maximum along {@code axis}, which is removed. */
  public Tensor argmax(int axis) {
    return Primitives.argmax(this, axis);
  }

  /** The {@code k} largest entries along the last axis, descending: {@code [values, int32 indices]}; not differentiable. */
  public Tensor[] topK(int k) {
    return Primitives.topK(this, k);
  }

  // ---------------------------------------------------------------- linear algebra

  /** Matrix product over the last two axes; batch axes broadcast. */
  public Tensor matmul(Tensor other) {
    return Primitives.matmul(this, other, false, false);
  }

  /** Matrix product with either operand's last two axes transposed first. */
  public Tensor matmul(Tensor other, boolean transposeThis, boolean transposeOther) {
    return Primitives.matmul(this, other, transposeThis, transposeOther);
  }

  /** Softmax along {@code axis}. */
  public Tensor softmax(int axis) {
    return Primitives.softmax(this, axis, false);
  }

  /** Log-softmax along {@code axis}. */
  public Tensor logSoftmax(int axis) {
    return Primitives.softmax(this, axis, true);
  }

  /**
   * The elementwise part of a GRU cell: from the input and hidden projections {@code gi}, {@code gh}
   * ({@code [batch, 3H]}, blocks r, z, n, biases included) and the hidden state {@code hidden}
   * ({@code [batch, H]}), {@code h' = n + z * (hidden - n)} with {@code r = sigmoid(gi_r + gh_r)},
   * {@code z = sigmoid(gi_z + gh_z)}, {@code n = tanh(gi_n + r * gh_n)}: one fused kernel on a
   * backend with {@link dev.seq2seq.api.backend.GruKernel}, the composition elsewhere (the same
   * outputs; gradients within the dtype's tolerance).
   */
  public static Tensor gruCell(Tensor gi, Tensor gh, Tensor hidden) {
    return Primitives.gruCell(gi, gh, hidden);
  }

  /**
   * {@link #gruCell(Tensor, Tensor, Tensor)} of {@code gi = xProduct + inputBias} and
   * {@code gh = hProduct + hiddenBias} ({@code [batch, 3H]} plus {@code [3H]} each): the same
   * outputs bit for bit and the same gradients, but a backend with
   * {@link dev.seq2seq.api.backend.GruKernel} adds the biases inside its kernel instead of in two
   * passes over {@code [batch, 3H]} first.
   */
  public static Tensor gruCell(Tensor xProduct, Tensor inputBias, Tensor hProduct, Tensor hiddenBias, Tensor hidden) {
    return Primitives.gruCell(xProduct, inputBias, hProduct, hiddenBias, hidden);
  }

  /**
   * The elementwise part of an LSTM cell: from the gate pre-activations {@code gates [batch, 4H]}
   * (blocks i, f, g, o, both projections summed) and the cell state {@code cell [batch, H]},
   * {@code [h', c']} as one {@code [batch, 2H]} tensor, where {@code c' = sigmoid(f) * cell +
   * sigmoid(i) * tanh(g)} and {@code h' = sigmoid(o) * tanh(c')}: one fused kernel on a backend with
   * {@link dev.seq2seq.api.backend.LstmKernel}, the composition elsewhere (the same outputs; gradients
   * within the dtype's tolerance).
   */
  public static Tensor lstmCell(Tensor gates, Tensor cell) {
    return Primitives.lstmCell(gates, cell);
  }

  /**
   * {@link #lstmCell(Tensor, Tensor)} of {@code gates = (xProjection + hProjection) + bias}
   * ({@code [batch, 4H]}, {@code [batch, 4H]}, {@code [4H]}): the same outputs bit for bit and the
   * same gradients, but a backend with {@link dev.seq2seq.api.backend.LstmKernel} adds the three
   * inside its kernel instead of writing two sums of {@code [batch, 4H]} first.
   */
  public static Tensor lstmCell(Tensor xProjection, Tensor hProjection, Tensor bias, Tensor cell) {
    return Primitives.lstmCell(xProjection, hProjection, bias, cell);
  }

  /**
   * {@link #lstmCell(Tensor, Tensor, Tensor, Tensor)} as its two parts {@code {h', c'}} ({@code [batch,
   * H]} each, the same values): the fused kernel's output sliced, or on a backend without
   * {@link dev.seq2seq.api.backend.LstmKernel} the composition's {@code h'} and {@code c'}
   * themselves, which a cell would otherwise concatenate only to slice again (in a compiled
   * TensorFlow step, a concatenation and two slices per step and as many again in the backward).
   */
  public static Tensor[] lstmCellParts(Tensor xProjection, Tensor hProjection, Tensor bias, Tensor cell) {
    return Primitives.lstmCellParts(xProjection, hProjection, bias, cell);
  }

  /**
   * Additive (Bahdanau) attention scores {@code [B, Tq, S]}, {@code score[b, q, s] = sum_a w[a]
   * tanh(query[b, q, a] + keys[b, s, a])} for {@code query [B, Tq, A]}, {@code keys [B, S, A]} and
   * {@code w [A]}: one fused kernel on a backend with
   * {@link dev.seq2seq.api.backend.AdditiveScoresKernel}, the composition (broadcast sum, tanh,
   * product with {@code w}) elsewhere; the same values and gradients within the dtype's tolerance.
   */
  public static Tensor additiveScores(Tensor query, Tensor keys, Tensor w) {
    return Primitives.additiveScores(query, keys, w);
  }

  /**
   * Layer normalisation over the last axis, {@code (x - mean) / sqrt(var + eps) * weight + bias}, with
   * mean and biased variance over the last axis of {@code [..., n]} and {@code weight}, {@code bias}
   * of shape {@code [n]}: one fused kernel on a backend with
   * {@link dev.seq2seq.api.backend.LayerNormKernel}, the composition of elementwise ops and
   * reductions elsewhere (the same values within the dtype's tolerance).
   */
  public Tensor layerNorm(Tensor weight, Tensor bias, double eps) {
    return Primitives.layerNorm(this, weight, bias, eps);
  }

  // ---------------------------------------------------------------- layout

  /** The same elements with new dimensions; one of them may be {@code -1} (inferred). */
  public Tensor reshape(int... dims) {
    return Primitives.reshape(this, dims);
  }

  /** Output axis {@code i} is this tensor's axis {@code permutation[i]}. */
  public Tensor permute(int... permutation) {
    return Primitives.permute(this, permutation);
  }

  /** Swaps the last two axes. */
  public Tensor transpose() {
    checkArgument(rank() >= 2, "transpose: needs rank >= 2, got %s", shape());
    int[] p = Primitives.allAxes(rank());
    p[rank() - 2] = rank() - 1;
    p[rank() - 1] = rank() - 2;
    return permute(p);
  }

  /** Inserts an axis of size 1 at {@code axis} (in the result's numbering). */
  public Tensor unsqueeze(int axis) {
    int r = rank() + 1;
    int a = axis < 0 ? axis + r : axis;
    checkArgument(a >= 0 && a < r, "unsqueeze: axis %s out of range for %s", axis, shape());
    int[] d = new int[r];
    for (int i = 0, j = 0; i < r; i++) {
      d[i] = i == a ? 1 : dim(j++);
    }
    return reshape(d);
  }

  /** Removes the size-1 axis {@code axis}. */
  public Tensor squeeze(int axis) {
    int a = shape().normalizeAxis(axis);
    checkArgument(dim(a) == 1, "squeeze: axis %s of %s has size %s, expected 1", axis, shape(), dim(a));
    int[] d = new int[rank() - 1];
    for (int i = 0, j = 0; i < rank(); i++) {
      if (i != a) {
        d[j++] = dim(i);
      }
    }
    return reshape(d);
  }

  /** Joins tensors along {@code axis}. */
  public static Tensor concat(List<Tensor> parts, int axis) {
    return Primitives.concat(parts, axis);
  }

  /** The box {@code [begin[i], begin[i] + size[i])} on every axis. */
  public Tensor slice(int[] begin, int[] size) {
    return Primitives.slice(this, begin, size);
  }

  /** Entries {@code [start, start + length)} of one axis, all of the others. */
  public Tensor sliceAxis(int axis, int start, int length) {
    int a = shape().normalizeAxis(axis);
    int[] begin = new int[rank()];
    int[] size = shape().toArray();
    begin[a] = start;
    size[a] = length;
    return slice(begin, size);
  }

  /** Zero padding: {@code before[i]} and {@code after[i]} zeros on axis {@code i}. */
  public Tensor pad(int[] before, int[] after) {
    return Primitives.pad(this, before, after);
  }

  /** Entries picked along {@code axis} by int32 {@code indices} (embedding lookup for axis 0). */
  public Tensor gather(Tensor indices, int axis) {
    return Primitives.gather(this, indices, axis);
  }

  /** The adjoint of {@link #gather}: a zero tensor of {@code shape} with {@code updates} added at {@code indices} along {@code axis}. */
  public static Tensor scatterAdd(Tensor indices, Tensor updates, int axis, Shape shape) {
    return Primitives.scatterAdd(indices, updates, axis, shape);
  }

  /** {@code float32 [2, 3] on ejml} followed by the values when there are at most 16. */
  @Override
  public String toString() {
    String head = dtype().label() + " " + shape() + " on " + backend.name();
    if (size() > 16) {
      return "Tensor(" + head + ")";
    }
    String values = dtype() == DType.INT32 ? Arrays.toString(toIntArray()) : Arrays.toString(toDoubleArray());
    return "Tensor(" + head + ": " + values + ")";
  }
}
