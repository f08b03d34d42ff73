package dev.seq2seq.api.backend;

/**
 * The closed set of primitive kernels a {@link Backend} implements.
 *
 * <p>Everything else — layers, cells, attention, losses, and every backward rule — is composed of
 * these. The conformance kit enumerates this enum and fails if an op has no test, so a new
 * primitive cannot go untested. Each constant says which {@link Backend} method runs it.
 */
public enum Op {
  // Elementwise unary, {@link Backend#unary}: y = f(x), same shape.
  /** {@code -x}. */
  NEG(Kind.UNARY, true),
  /** {@code e^x}. */
  EXP(Kind.UNARY, true),
  /** Natural logarithm; {@code -inf} at 0, NaN below. */
  LOG(Kind.UNARY, true),
  /** Square root; NaN below 0. */
  SQRT(Kind.UNARY, true),
  /** Hyperbolic tangent. */
  TANH(Kind.UNARY, true),
  /** Logistic sigmoid {@code 1 / (1 + e^-x)}. */
  SIGMOID(Kind.UNARY, true),
  /** {@code max(x, 0)}; its derivative at 0 is taken as 0. */
  RELU(Kind.UNARY, true),

  // Elementwise binary with NumPy broadcasting, {@link Backend#binary}.
  /** {@code a + b}. */
  ADD(Kind.BINARY, true),
  /** {@code a - b}. */
  SUB(Kind.BINARY, true),
  /** {@code a * b}. */
  MUL(Kind.BINARY, true),
  /** {@code a / b}. */
  DIV(Kind.BINARY, true),
  /** {@code max(a, b)}; on ties the gradient goes to {@code a}. */
  MAXIMUM(Kind.BINARY, true),
  /** {@code a == b} as 1 or 0 in the inputs' dtype; not differentiable. */
  EQUAL(Kind.BINARY, false),
  /** {@code a > b} as 1 or 0 in the inputs' dtype; not differentiable. */
  GREATER(Kind.BINARY, false),
  /** {@code a < b} as 1 or 0 in the inputs' dtype; not differentiable. */
  LESS(Kind.BINARY, false),

  // Reductions over a set of axes, {@link Backend#reduce}.
  /** Sum over axes. */
  SUM(Kind.REDUCE, true),
  /** Arithmetic mean over axes. */
  MEAN(Kind.REDUCE, true),
  /** Maximum over axes; the gradient is shared equally among tied maxima. */
  MAX(Kind.REDUCE, true),

  /** (Batched) matrix product with transpose flags and broadcast batch dimensions, {@link Backend#matmul}. */
  MATMUL(Kind.OTHER, true),
  /** {@code exp(x_i) / sum_j exp(x_j)} along one axis, {@link Backend#softmax}. */
  SOFTMAX(Kind.OTHER, true),
  /** {@code x_i - log(sum_j exp(x_j))} along one axis, {@link Backend#logSoftmax}. */
  LOG_SOFTMAX(Kind.OTHER, true),
  /**
   * Layer normalisation over the last axis with a scale and a shift,
   * {@code (x - mean) / sqrt(var + eps) * weight + bias}: one kernel on backends with
   * {@link LayerNormKernel}, a composition of the other ops elsewhere.
   */
  LAYER_NORM(Kind.OTHER, true),
  /**
   * The elementwise part of a GRU cell, from the input and hidden projections {@code [batch, 3H]}
   * and the hidden state {@code [batch, H]} to {@code h'}: one kernel on backends with
   * {@link GruKernel}, a composition of the other ops elsewhere.
   */
  GRU_CELL(Kind.OTHER, true),
  /**
   * The elementwise part of an LSTM cell, from gate pre-activations {@code [batch, 4H]} and the cell
   * state {@code [batch, H]} to {@code [h', c']} ({@code [batch, 2H]}): one kernel on backends with
   * {@link LstmKernel}, a composition of the other ops elsewhere.
   */
  LSTM_CELL(Kind.OTHER, true),
  /**
   * Additive (Bahdanau) attention scores, {@code score[b, q, s] = sum_a w[a] tanh(query[b, q, a] +
   * keys[b, s, a])} from {@code query [B, Tq, A]}, {@code keys [B, S, A]} and {@code w [A]} to
   * {@code [B, Tq, S]}: one kernel on backends with {@link AdditiveScoresKernel}, a composition of
   * the other ops elsewhere.
   */
  ADDITIVE_SCORES(Kind.OTHER, true),
  /** Same elements, new shape, {@link Backend#reshape}. */
  RESHAPE(Kind.OTHER, true),
  /** Axis permutation (transpose), {@link Backend#permute}. */
  PERMUTE(Kind.OTHER, true),
  /** Join along one axis, {@link Backend#concat}. */
  CONCAT(Kind.OTHER, true),
  /** A box {@code [begin, begin + size)} per axis, {@link Backend#slice}. */
  SLICE(Kind.OTHER, true),
  /** Zero padding before and after each axis (the adjoint of slice), {@link Backend#pad}. */
  PAD(Kind.OTHER, true),
  /** Rows of a table picked by int32 indices along an axis (embedding lookup), {@link Backend#gather}. */
  GATHER(Kind.OTHER, true),
  /** Sums updates into a zero tensor at int32 indices along an axis (the adjoint of gather), {@link Backend#scatterAdd}. */
  SCATTER_ADD(Kind.OTHER, true),
  /** {@code cond != 0 ? a : b} with broadcasting, {@link Backend#where}. */
  WHERE(Kind.OTHER, true),
  /** Element type conversion, {@link Backend#cast}; differentiable between floating types. */
  CAST(Kind.OTHER, true),
  /** Index of the maximum along an axis as int32 (first on ties), {@link Backend#argmax}. */
  ARGMAX(Kind.OTHER, false),
  /** The k largest values along the last axis and their int32 indices, descending, {@link Backend#topK}. */
  TOP_K(Kind.OTHER, false);

  /** Which backend entry point runs an op. */
  public enum Kind {
    UNARY,
    BINARY,
    REDUCE,
    OTHER
  }

  private final Kind kind;
  private final boolean differentiable;
  private final String label = name().toLowerCase(java.util.Locale.ROOT);

  Op(Kind kind, boolean differentiable) {
    this.kind = kind;
    this.differentiable = differentiable;
  }

  /** The group of this op. */
  public Kind kind() {
    return kind;
  }

  /** Whether autodiff has a backward rule for this op (and the kit checks it by finite differences). */
  public boolean isDifferentiable() {
    return differentiable;
  }

  /** Lower-case name used in error messages, e.g. {@code log_softmax}. */
  public String label() {
    return label;
  }
}
