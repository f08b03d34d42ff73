package dev.seq2seq.api.tensor;

import static com.google.common.base.Preconditions.checkArgument;

import dev.seq2seq.api.backend.ActivationGradients;
import dev.seq2seq.api.backend.AdditiveScoresKernel;
import dev.seq2seq.api.backend.Backend;
import dev.seq2seq.api.backend.GruKernel;
import dev.seq2seq.api.backend.InPlaceAccumulator;
import dev.seq2seq.api.backend.LayerNormKernel;
import dev.seq2seq.api.backend.LstmKernel;
import dev.seq2seq.api.backend.Op;
import dev.seq2seq.api.backend.RawTensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Every primitive: argument checks with clear messages, the backend kernel call, and the backward
 * rule, written with the same primitives. The only place where {@link Node}s are created.
 */
final class Primitives {
  private Primitives() {}

  // ---------------------------------------------------------------- recording

  private static Tensor record(Op op, RawTensor raw, Node.Backward backward, Tensor... inputs) {
    return record(op, raw, backward, null, null, -1, inputs);
  }

  private static Tensor record(Op op, RawTensor raw, Node.Backward backward, int[] sliceBegin, boolean[] matmulTransposes,
      int gatherAxis, Tensor... inputs) {
    Backend backend = inputs[0].backend();
    TensorScope.track(raw);
    if (backward != null && GradMode.isEnabled()) {
      for (Tensor t : inputs) {
        if (t.requiresGrad()) {
          return new Tensor(backend, raw, false, new Node(op, inputs, backward, sliceBegin, matmulTransposes, gatherAxis));
        }
      }
    }
    return new Tensor(backend, raw, false, null);
  }

  private static void sameBackend(Op op, Tensor a, Tensor b) {
    if (a.backend() != b.backend()) {
      throw new IllegalArgumentException(String.format(
          "%s: tensors live on different backends (%s and %s)", op.label(), a.backend().name(), b.backend().name()));
    }
  }

  private static void sameDtype(Op op, Tensor a, Tensor b) {
    if (a.dtype() != b.dtype()) {
      throw new IllegalArgumentException(String.format(
          "%s: dtypes differ (%s %s and %s %s)", op.label(), a.dtype().label(), a.shape(), b.dtype().label(), b.shape()));
    }
  }

  private static void floating(Op op, Tensor x) {
    checkArgument(x.dtype().isFloating(), "%s: needs a floating-point tensor, got %s %s", op.label(), x.dtype().label(), x.shape());
  }

  private static int[] normalizeAxes(Op op, Shape shape, int[] axes) {
    int[] out = new int[axes.length];
    for (int i = 0; i < axes.length; i++) {
      out[i] = shape.normalizeAxis(axes[i]);
    }
    Arrays.sort(out);
    for (int i = 1; i < out.length; i++) {
      if (out[i] == out[i - 1]) {
        throw new IllegalArgumentException(op.label() + ": axis " + out[i] + " repeated in " + Arrays.toString(axes));
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- elementwise

  static Tensor unary(Op op, Tensor x) {
    floating(op, x);
    RawTensor y = x.backend().unary(op, x.raw());
    Node.Backward backward;
    switch (op) {
      case NEG:
        backward = g -> new Tensor[] {g.neg()};
        break;
      case EXP:
        backward = g -> new Tensor[] {g.mul(yOf(x, y))};
        break;
      case LOG:
        backward = g -> new Tensor[] {g.div(x)};
        break;
      case SQRT:
        backward = g -> new Tensor[] {g.mul(0.5).div(yOf(x, y))};
        break;
      case TANH:
        backward = g -> {
          ActivationGradients fused = fusedActivationGradients(g, y);
          if (fused != null) {
            return new Tensor[] {Tensor.wrap(g.backend(), fused.tanhGradient(g.raw(), y))};
          }
          Tensor t = yOf(x, y);
          return new Tensor[] {g.mul(t.mul(t).neg().add(1.0))};
        };
        break;
      case SIGMOID:
        backward = g -> {
          ActivationGradients fused = fusedActivationGradients(g, y);
          if (fused != null) {
            return new Tensor[] {Tensor.wrap(g.backend(), fused.sigmoidGradient(g.raw(), y))};
          }
          Tensor s = yOf(x, y);
          return new Tensor[] {g.mul(s.mul(s.neg().add(1.0)))};
        };
        break;
      case RELU:
        backward = g -> {
          ActivationGradients fused = fusedActivationGradients(g, x.raw());
          if (fused != null) {
            return new Tensor[] {Tensor.wrap(g.backend(), fused.reluGradient(g.raw(), x.raw()))};
          }
          return new Tensor[] {g.mul(x.gt(0.0))};
        };
        break;
      default:
        throw new IllegalArgumentException(op.label() + " is not a unary op");
    }
    return record(op, y, backward, x);
  }

  /**
   * The backend's {@link ActivationGradients} when it has them and the fused kernel applies: the
   * gradient matches the saved tensor {@code y} (output or input) in shape and dtype, and nothing is
   * being recorded (a backward rule run with recording enabled keeps the composition, which is
   * itself differentiable).
   */
  private static ActivationGradients fusedActivationGradients(Tensor g, RawTensor y) {
    if (g.backend() instanceof ActivationGradients && !GradMode.isEnabled() && g.dtype() == y.dtype()
        && g.shape().equals(y.shape())) {
      return (ActivationGradients) g.backend();
    }
    return null;
  }

  /** The forward output as a constant tensor for use inside a backward rule. */
  private static Tensor yOf(Tensor x, RawTensor y) {
    return new Tensor(x.backend(), y, false, null);
  }

  static Tensor binary(Op op, Tensor a, Tensor b) {
    sameBackend(op, a, b);
    sameDtype(op, a, b);
    Shape.broadcast(op.label(), a.shape(), b.shape());
    if (op.isDifferentiable()) {
      checkArgument(
          a.dtype().isFloating() || op == Op.ADD || op == Op.SUB || op == Op.MUL || op == Op.MAXIMUM,
          "%s: needs floating-point tensors, got %s", op.label(), a.dtype().label());
    }
    RawTensor out = a.backend().binary(op, a.raw(), b.raw());
    Shape sa = a.shape();
    Shape sb = b.shape();
    Node.Backward backward;
    switch (op) {
      // each input's gradient only when it needs one (masks, constants and scales do not)
      case ADD:
        backward = g -> new Tensor[] {a.requiresGrad() ? sumTo(g, sa) : null, b.requiresGrad() ? sumTo(g, sb) : null};
        break;
      case SUB:
        backward = g -> new Tensor[] {a.requiresGrad() ? sumTo(g, sa) : null, b.requiresGrad() ? sumTo(g.neg(), sb) : null};
        break;
      case MUL:
        backward = g -> new Tensor[] {a.requiresGrad() ? sumTo(g.mul(b), sa) : null, b.requiresGrad() ? sumTo(g.mul(a), sb) : null};
        break;
      case DIV:
        backward = g -> {
          Tensor ga = g.div(b);
          return new Tensor[] {a.requiresGrad() ? sumTo(ga, sa) : null, b.requiresGrad() ? sumTo(ga.mul(a).div(b).neg(), sb) : null};
        };
        break;
      case MAXIMUM:
        backward = g -> {
          Tensor toB = b.gt(a);
          Tensor toA = toB.neg().add(1.0);
          return new Tensor[] {a.requiresGrad() ? sumTo(g.mul(toA), sa) : null, b.requiresGrad() ? sumTo(g.mul(toB), sb) : null};
        };
        break;
      case EQUAL:
      case GREATER:
      case LESS:
        backward = null;
        break;
      default:
        throw new IllegalArgumentException(op.label() + " is not a binary op");
    }
    return record(op, out, backward, a, b);
  }

  /**
   * Sums {@code g} down to {@code target}: the adjoint of broadcasting {@code target} up to
   * {@code g.shape()}.
   */
  static Tensor sumTo(Tensor g, Shape target) {
    if (g.shape().equals(target)) {
      return g;
    }
    int lead = g.rank() - target.rank();
    checkArgument(lead >= 0, "sumTo: %s cannot be reduced to %s", g.shape(), target);
    List<Integer> axes = new ArrayList<>();
    for (int i = 0; i < g.rank(); i++) {
      if (i < lead || (target.dim(i - lead) == 1 && g.shape().dim(i) != 1)) {
        axes.add(i);
      }
    }
    Tensor summed = axes.isEmpty() ? g : g.sum(axes.stream().mapToInt(Integer::intValue).toArray(), true);
    return summed.reshape(target.toArray());
  }

  /** {@code t} broadcast up to {@code shape} (as {@code t + 0}). */
  static Tensor broadcastTo(Tensor t, Shape shape) {
    if (t.shape().equals(shape)) {
      return t;
    }
    return t.add(Tensors.zeros(t.backend(), t.dtype(), shape));
  }

  // ---------------------------------------------------------------- reductions

  static Tensor reduce(Op op, Tensor x, int[] axes, boolean keepDims) {
    if (op != Op.MAX && op != Op.SUM) {
      floating(op, x);
    }
    int[] ax = axes.length == 0 ? allAxes(x.rank()) : normalizeAxes(op, x.shape(), axes);
    if (ax.length == 0) { // reducing a scalar over "all" of its zero axes
      return x;
    }
    checkArgument(op != Op.MAX || nonEmptyAxes(x.shape(), ax), "max: cannot reduce %s over an empty axis", x.shape());
    RawTensor out = x.backend().reduce(op, x.raw(), ax, keepDims);
    Shape kept = keptShape(x.shape(), ax);
    Node.Backward backward;
    switch (op) {
      case SUM:
        backward = g -> new Tensor[] {broadcastTo(g.reshape(kept.toArray()), x.shape())};
        break;
      case MEAN:
        backward = g -> {
          double count = (double) x.shape().size() / kept.size();
          return new Tensor[] {broadcastTo(g.reshape(kept.toArray()).div(count), x.shape())};
        };
        break;
      case MAX:
        backward = g -> {
          Tensor y = new Tensor(x.backend(), out, false, null).reshape(kept.toArray());
          Tensor mask = x.eq(y);
          Tensor count = mask.sum(ax, true);
          return new Tensor[] {mask.mul(g.reshape(kept.toArray()).div(count))};
        };
        break;
      default:
        throw new IllegalArgumentException(op.label() + " is not a reduction");
    }
    return record(op, out, x.dtype().isFloating() ? backward : null, x);
  }

  private static boolean nonEmptyAxes(Shape s, int[] axes) {
    for (int a : axes) {
      if (s.dim(a) == 0) {
        return false;
      }
    }
    return true;
  }

  static int[] allAxes(int rank) {
    int[] all = new int[rank];
    for (int i = 0; i < rank; i++) {
      all[i] = i;
    }
    return all;
  }

  private static Shape keptShape(Shape s, int[] axes) {
    int[] d = s.toArray();
    for (int a : axes) {
      d[a] = 1;
    }
    return Shape.of(d);
  }

  // ---------------------------------------------------------------- matmul

  static Tensor matmul(Tensor a, Tensor b, boolean ta, boolean tb) {
    Op op = Op.MATMUL;
    sameBackend(op, a, b);
    sameDtype(op, a, b);
    floating(op, a);
    checkArgument(a.rank() >= 2 && b.rank() >= 2, "matmul: %s x %s: both operands need rank >= 2", a.shape(), b.shape());
    int ka = ta ? a.shape().dim(-2) : a.shape().dim(-1);
    int kb = tb ? b.shape().dim(-1) : b.shape().dim(-2);
    if (ka != kb) {
      throw new IllegalArgumentException(String.format(
          "matmul: %s%s x %s%s: inner dimensions differ (%d vs %d)",
          a.shape(), ta ? "^T" : "", b.shape(), tb ? "^T" : "", ka, kb));
    }
    Shape batchA = Shape.of(Arrays.copyOf(a.shape().toArray(), a.rank() - 2));
    Shape batchB = Shape.of(Arrays.copyOf(b.shape().toArray(), b.rank() - 2));
    Shape.broadcast("matmul (batch dimensions of " + a.shape() + " x " + b.shape() + ")", batchA, batchB);
    RawTensor out = a.backend().matmul(a.raw(), b.raw(), ta, tb);
    Node.Backward backward = g -> {
      Tensor ga = null;
      Tensor gb = null;
      boolean needA = a.requiresGrad();
      boolean needB = b.requiresGrad();
      if (!ta && !tb) {
        ga = needA ? g.matmul(b, false, true) : null;
        gb = needB ? a.matmul(g, true, false) : null;
      } else if (ta && !tb) {
        ga = needA ? b.matmul(g, false, true) : null;
        gb = needB ? a.matmul(g, false, false) : null;
      } else if (!ta) {
        ga = needA ? g.matmul(b, false, false) : null;
        gb = needB ? g.matmul(a, true, false) : null;
      } else {
        ga = needA ? b.matmul(g, true, true) : null;
        gb = needB ? g.matmul(a, true, true) : null;
      }
      return new Tensor[] {ga == null ? null : sumTo(ga, a.shape()), gb == null ? null : sumTo(gb, b.shape())};
    };
    if (!ta && a.rank() > 2 && b.rank() == 2) {
      // A batch of a times one matrix b: b's gradient sums over the batch, which is one product
      // over the batch folded into the rows (K x B*M times B*M x N) instead of B products summed.
      backward = g -> {
        Tensor a2 = a.reshape(-1, a.shape().dim(-1));
        Tensor g2 = g.reshape(-1, g.shape().dim(-1));
        Tensor ga = !a.requiresGrad() ? null : tb ? g.matmul(b, false, false) : g.matmul(b, false, true);
        Tensor gb = !b.requiresGrad() ? null : tb ? g2.matmul(a2, true, false) : a2.matmul(g2, true, false);
        return new Tensor[] {ga, gb};
      };
    }
    return record(op, out, backward, null, new boolean[] {ta, tb}, -1, a, b);
  }

  /**
   * Whether the gradient of {@code b} in {@code a @ op(b)} ({@code a} not transposed, {@code b} a
   * matrix: a weight applied to every time step or a batch) has the form {@code L^T R} of
   * {@link #rightGradientFactors}, so autodiff can collect it over all uses and add it at once.
   */
  static boolean hasTransposedRightGradient(Tensor a, Tensor b, boolean ta) {
    return !ta && b.rank() == 2;
  }

  /**
   * Whether {@code d/db} of the batched product {@code a @ op(b)} (both rank 3, one batch, {@code a}
   * not transposed) is the batched {@code L^T R} of {@link #batchedRightGradientFactors}, so autodiff
   * can collect it over all uses (an attention's keys and values, read at every decoder step) and
   * add it as one batched product.
   */
  static boolean hasBatchedTransposedRightGradient(Tensor a, Tensor b, boolean ta) {
    return !ta && a.rank() == 3 && b.rank() == 3 && a.dim(0) == b.dim(0);
  }

  /**
   * The factors {@code {L, R}} of {@code d/db = L^T R} (per batch element) for the batched
   * {@code a @ op(b)} with upstream gradient {@code g} (where {@link #hasBatchedTransposedRightGradient}
   * holds): {@code L = g, R = a} when {@code b} is transposed, else {@code L = a, R = g}.
   */
  static Tensor[] batchedRightGradientFactors(Tensor g, Tensor a, boolean tb) {
    return tb ? new Tensor[] {g, a} : new Tensor[] {a, g};
  }

  /**
   * The factors {@code {L, R}} of {@code d/db = L^T R} for {@code a @ op(b)} with upstream gradient
   * {@code g} (where {@link #hasTransposedRightGradient} holds): batch dimensions fold into rows,
   * {@code L = g, R = a} when {@code b} is transposed ({@code d/db = g^T a}), else {@code L = a, R = g}.
   */
  static Tensor[] rightGradientFactors(Tensor g, Tensor a, boolean tb) {
    Tensor a2 = a.rank() > 2 ? a.reshape(-1, a.shape().dim(-1)) : a;
    Tensor g2 = g.rank() > 2 ? g.reshape(-1, g.shape().dim(-1)) : g;
    return tb ? new Tensor[] {g2, a2} : new Tensor[] {a2, g2};
  }

  /** {@code d/da} of {@code a @ op(b)} (a not transposed) for upstream gradient {@code g}: {@code g @ op(b)^T}. */
  static Tensor leftGradient(Tensor g, Tensor b, boolean tb) {
    return g.matmul(b, false, !tb);
  }

  /** The gradients a fused backward kernel returned, as constant tensors owned by the current scope. */
  private static Tensor[] wrapAll(Backend backend, RawTensor[] grads) {
    Tensor[] out = new Tensor[grads.length];
    for (int i = 0; i < grads.length; i++) {
      out[i] = Tensor.wrap(backend, grads[i]);
    }
    return out;
  }

  // ---------------------------------------------------------------- gru cell

  static Tensor gruCell(Tensor gi, Tensor gh, Tensor hidden) {
    sameBackend(Op.GRU_CELL, gi, gh);
    sameBackend(Op.GRU_CELL, gi, hidden);
    sameDtype(Op.GRU_CELL, gi, gh);
    sameDtype(Op.GRU_CELL, gi, hidden);
    floating(Op.GRU_CELL, gi);
    checkArgument(hidden.rank() == 2 && gi.shape().equals(gh.shape())
            && gi.shape().equals(Shape.of(hidden.shape().dim(0), 3 * hidden.shape().dim(1))),
        "gru_cell: projections %s and %s and hidden %s must be [batch, 3H], [batch, 3H] and [batch, H]",
        gi.shape(), gh.shape(), hidden.shape());
    if (!(gi.backend() instanceof GruKernel)) {
      int h = hidden.shape().dim(1);
      Tensor r = gi.sliceAxis(1, 0, h).add(gh.sliceAxis(1, 0, h)).sigmoid();
      Tensor z = gi.sliceAxis(1, h, h).add(gh.sliceAxis(1, h, h)).sigmoid();
      Tensor n = gi.sliceAxis(1, 2 * h, h).add(r.mul(gh.sliceAxis(1, 2 * h, h))).tanh();
      return n.add(z.mul(hidden.sub(n)));
    }
    GruKernel kernel = (GruKernel) gi.backend();
    RawTensor[] out = kernel.gruCell(gi.raw(), gh.raw(), hidden.raw());
    RawTensor saved = out[1];
    TensorScope.track(saved); // the saved activations belong to the scope like the output
    Node.Backward backward = g -> { // backward rules run with recording off (Gradients): the fused kernel
      RawTensor[] grads = kernel.gruCellBackward(g.raw(), saved, hidden.raw());
      return wrapAll(g.backend(), grads);
    };
    return record(Op.GRU_CELL, out[0], backward, gi, gh, hidden);
  }

  static Tensor gruCell(Tensor xProduct, Tensor inputBias, Tensor hProduct, Tensor hiddenBias, Tensor hidden) {
    for (Tensor t : new Tensor[] {inputBias, hProduct, hiddenBias, hidden}) {
      sameBackend(Op.GRU_CELL, xProduct, t);
      sameDtype(Op.GRU_CELL, xProduct, t);
    }
    floating(Op.GRU_CELL, xProduct);
    checkArgument(hidden.rank() == 2 && xProduct.shape().equals(hProduct.shape())
            && xProduct.shape().equals(Shape.of(hidden.shape().dim(0), 3 * hidden.shape().dim(1)))
            && inputBias.shape().equals(Shape.of(xProduct.shape().dim(1))) && hiddenBias.shape().equals(inputBias.shape()),
        "gru_cell: products %s and %s, biases %s and %s and hidden %s must be [batch, 3H], [batch, 3H], [3H], [3H] and [batch, H]",
        xProduct.shape(), hProduct.shape(), inputBias.shape(), hiddenBias.shape(), hidden.shape());
    if (!(xProduct.backend() instanceof GruKernel)) {
      return gruCell(xProduct.add(inputBias), hProduct.add(hiddenBias), hidden);
    }
    GruKernel kernel = (GruKernel) xProduct.backend();
    RawTensor[] out = kernel.gruCell(xProduct.raw(), inputBias.raw(), hProduct.raw(), hiddenBias.raw(), hidden.raw());
    RawTensor saved = out[1];
    TensorScope.track(saved);
    Shape biasShape = inputBias.shape();
    Node.Backward backward = g -> { // each projection's gradient goes to its product as it is and, summed over the batch, to its bias
      Tensor[] grads = wrapAll(g.backend(), kernel.gruCellBackward(g.raw(), saved, hidden.raw()));
      return new Tensor[] {grads[0], sumTo(grads[0], biasShape), grads[1], sumTo(grads[1], biasShape), grads[2]};
    };
    return record(Op.GRU_CELL, out[0], backward, xProduct, inputBias, hProduct, hiddenBias, hidden);
  }

  // ---------------------------------------------------------------- lstm cell

  static Tensor lstmCell(Tensor gates, Tensor cell) {
    sameBackend(Op.LSTM_CELL, gates, cell);
    sameDtype(Op.LSTM_CELL, gates, cell);
    floating(Op.LSTM_CELL, gates);
    checkArgument(gates.rank() == 2 && cell.rank() == 2 && gates.shape().dim(0) == cell.shape().dim(0)
            && gates.shape().dim(1) == 4 * cell.shape().dim(1),
        "lstm_cell: gates %s and cell %s must be [batch, 4H] and [batch, H]", gates.shape(), cell.shape());
    if (!(gates.backend() instanceof LstmKernel)) {
      Tensor[] hc = composedLstmCell(gates, cell);
      return concat(List.of(hc[0], hc[1]), 1);
    }
    LstmKernel kernel = (LstmKernel) gates.backend();
    RawTensor[] out = kernel.lstmCell(gates.raw(), cell.raw());
    RawTensor saved = out[1];
    TensorScope.track(saved); // the saved activations belong to the scope like the output
    Node.Backward backward = g -> { // backward rules run with recording off (Gradients): the fused kernel
      RawTensor[] grads = kernel.lstmCellBackward(g.raw(), saved, cell.raw());
      return wrapAll(g.backend(), grads);
    };
    return record(Op.LSTM_CELL, out[0], backward, gates, cell);
  }

  /** {@code {h', c'}} of an LSTM cell composed from elementwise primitives (backends without {@link LstmKernel}). */
  private static Tensor[] composedLstmCell(Tensor gates, Tensor cell) {
    int h = cell.shape().dim(1);
    Tensor i = gates.sliceAxis(1, 0, h).sigmoid();
    Tensor f = gates.sliceAxis(1, h, h).sigmoid();
    Tensor g = gates.sliceAxis(1, 2 * h, h).tanh();
    Tensor o = gates.sliceAxis(1, 3 * h, h).sigmoid();
    Tensor c = f.mul(cell).add(i.mul(g));
    return new Tensor[] {o.mul(c.tanh()), c};
  }

  static Tensor[] lstmCellParts(Tensor xProjection, Tensor hProjection, Tensor bias, Tensor cell) {
    if (!(xProjection.backend() instanceof LstmKernel)) {
      checkLstmCell(xProjection, hProjection, bias, cell);
      return composedLstmCell(xProjection.add(hProjection).add(bias), cell); // lstmCell's composition, h' and c' not concatenated
    }
    Tensor hc = lstmCell(xProjection, hProjection, bias, cell);
    int h = cell.shape().dim(1);
    return new Tensor[] {hc.sliceAxis(1, 0, h), hc.sliceAxis(1, h, h)};
  }

  private static void checkLstmCell(Tensor xProjection, Tensor hProjection, Tensor bias, Tensor cell) {
    for (Tensor t : new Tensor[] {hProjection, bias, cell}) {
      sameBackend(Op.LSTM_CELL, xProjection, t);
      sameDtype(Op.LSTM_CELL, xProjection, t);
    }
    floating(Op.LSTM_CELL, xProjection);
    checkArgument(xProjection.rank() == 2 && xProjection.shape().equals(hProjection.shape()) && cell.rank() == 2
            && xProjection.shape().dim(0) == cell.shape().dim(0) && xProjection.shape().dim(1) == 4 * cell.shape().dim(1)
            && bias.shape().equals(Shape.of(xProjection.shape().dim(1))),
        "lstm_cell: projections %s and %s, bias %s and cell %s must be [batch, 4H], [batch, 4H], [4H] and [batch, H]",
        xProjection.shape(), hProjection.shape(), bias.shape(), cell.shape());
  }

  static Tensor lstmCell(Tensor xProjection, Tensor hProjection, Tensor bias, Tensor cell) {
    checkLstmCell(xProjection, hProjection, bias, cell);
    if (!(xProjection.backend() instanceof LstmKernel)) {
      return lstmCell(xProjection.add(hProjection).add(bias), cell);
    }
    LstmKernel kernel = (LstmKernel) xProjection.backend();
    RawTensor[] out = kernel.lstmCell(xProjection.raw(), hProjection.raw(), bias.raw(), cell.raw());
    RawTensor saved = out[1];
    TensorScope.track(saved);
    Shape biasShape = bias.shape();
    Node.Backward backward = g -> { // d(gates) flows to both projections as it is, and summed over the batch to the bias
      Tensor[] grads = wrapAll(g.backend(), kernel.lstmCellBackward(g.raw(), saved, cell.raw()));
      return new Tensor[] {grads[0], grads[0], sumTo(grads[0], biasShape), grads[1]};
    };
    return record(Op.LSTM_CELL, out[0], backward, xProjection, hProjection, bias, cell);
  }

  // ---------------------------------------------------------------- additive attention scores

  static Tensor additiveScores(Tensor query, Tensor keys, Tensor w) {
    Op op = Op.ADDITIVE_SCORES;
    sameBackend(op, query, keys);
    sameBackend(op, query, w);
    sameDtype(op, query, keys);
    sameDtype(op, query, w);
    floating(op, query);
    checkArgument(query.rank() == 3 && keys.rank() == 3 && w.rank() == 1 && query.shape().dim(0) == keys.shape().dim(0)
            && query.shape().dim(2) == w.shape().dim(0) && keys.shape().dim(2) == w.shape().dim(0),
        "additive_scores: query %s, keys %s and w %s must be [batch, queries, units], [batch, keys, units] and [units]",
        query.shape(), keys.shape(), w.shape());
    if (!(query.backend() instanceof AdditiveScoresKernel)) {
      int units = w.shape().dim(0);
      Tensor t = query.unsqueeze(2).add(keys.unsqueeze(1)).tanh(); // [B, Tq, S, A]
      return t.reshape(-1, units).matmul(w.reshape(1, units), false, true)
          .reshape(query.shape().dim(0), query.shape().dim(1), keys.shape().dim(1));
    }
    AdditiveScoresKernel kernel = (AdditiveScoresKernel) query.backend();
    RawTensor[] out = kernel.additiveScores(query.raw(), keys.raw(), w.raw());
    RawTensor saved = out[1];
    TensorScope.track(saved); // the saved activations belong to the scope like the output
    Node.Backward backward = g -> { // backward rules run with recording off (Gradients): the fused kernel
      RawTensor[] grads = kernel.additiveScoresBackward(g.raw(), saved, w.raw());
      return wrapAll(g.backend(), grads);
    };
    return record(op, out[0], backward, query, keys, w);
  }

  // ---------------------------------------------------------------- layer norm

  static Tensor layerNorm(Tensor x, Tensor weight, Tensor bias, double eps) {
    sameBackend(Op.LAYER_NORM, x, weight);
    sameBackend(Op.LAYER_NORM, x, bias);
    sameDtype(Op.LAYER_NORM, x, weight);
    sameDtype(Op.LAYER_NORM, x, bias);
    floating(Op.LAYER_NORM, x);
    checkArgument(x.rank() >= 1, "layer_norm: input %s needs at least one axis", x.shape());
    int n = x.shape().dim(-1);
    checkArgument(weight.shape().equals(Shape.of(n)) && bias.shape().equals(Shape.of(n)),
        "layer_norm: weight %s and bias %s must both be [%s] for input %s", weight.shape(), bias.shape(), n, x.shape());
    checkArgument(eps >= 0, "layer_norm: eps must be >= 0, got %s", eps);
    if (!(x.backend() instanceof LayerNormKernel)) {
      int[] last = {-1};
      Tensor centered = x.sub(x.mean(last, true));
      Tensor variance = centered.square().mean(last, true);
      return centered.div(variance.add(eps).sqrt()).mul(weight).add(bias);
    }
    LayerNormKernel kernel = (LayerNormKernel) x.backend();
    RawTensor[] out = kernel.layerNorm(x.raw(), weight.raw(), bias.raw(), eps);
    RawTensor mean = out[1];
    RawTensor rstd = out[2];
    for (int i = 1; i < 3; i++) {
      TensorScope.track(out[i]); // the saved statistics belong to the scope like the output
    }
    Node.Backward backward = g -> { // backward rules run with recording off (Gradients): the fused kernel
      RawTensor[] grads = kernel.layerNormBackward(g.raw(), x.raw(), weight.raw(), mean, rstd);
      return wrapAll(g.backend(), grads);
    };
    return record(Op.LAYER_NORM, out[0], backward, x, weight, bias);
  }

  // ---------------------------------------------------------------- softmax

  static Tensor softmax(Tensor x, int axis, boolean log) {
    Op op = log ? Op.LOG_SOFTMAX : Op.SOFTMAX;
    floating(op, x);
    int ax = x.shape().normalizeAxis(axis);
    RawTensor out = log ? x.backend().logSoftmax(x.raw(), ax) : x.backend().softmax(x.raw(), ax);
    int[] axes = {ax};
    Node.Backward backward = g -> {
      Tensor y = yOf(x, out);
      if (log) {
        return new Tensor[] {g.sub(y.exp().mul(g.sum(axes, true)))};
      }
      return new Tensor[] {y.mul(g.sub(g.mul(y).sum(axes, true)))};
    };
    return record(op, out, backward, x);
  }

  // ---------------------------------------------------------------- layout

  static Tensor reshape(Tensor x, int[] dims) {
    int[] d = dims.clone();
    int infer = -1;
    long known = 1;
    for (int i = 0; i < d.length; i++) {
      if (d[i] == -1) {
        if (infer >= 0) {
          throw new IllegalArgumentException("reshape: " + x.shape() + " to " + Arrays.toString(dims) + ": at most one dimension may be -1");
        }
        infer = i;
      } else {
        if (d[i] < 0) {
          throw new IllegalArgumentException("reshape: " + x.shape() + " to " + Arrays.toString(dims) + ": negative dimension");
        }
        known *= d[i];
      }
    }
    if (infer >= 0) {
      checkArgument(known > 0 && x.size() % known == 0,
          "reshape: %s (%s elements) to %s: sizes are incompatible", x.shape(), x.size(), Arrays.toString(dims));
      d[infer] = (int) (x.size() / known);
    }
    Shape target = Shape.of(d);
    if (target.size() != x.size()) {
      throw new IllegalArgumentException(String.format(
          "reshape: %s (%d elements) to %s (%d elements): sizes differ", x.shape(), x.size(), target, target.size()));
    }
    if (target.equals(x.shape())) {
      return x;
    }
    RawTensor out = x.backend().reshape(x.raw(), target);
    Shape original = x.shape();
    return record(Op.RESHAPE, out, g -> new Tensor[] {g.reshape(original.toArray())}, x);
  }

  static Tensor permute(Tensor x, int[] permutation) {
    checkArgument(permutation.length == x.rank(),
        "permute: %s with permutation %s: need one entry per axis (%s)", x.shape(), Arrays.toString(permutation), x.rank());
    int[] p = new int[permutation.length];
    boolean[] seen = new boolean[p.length];
    for (int i = 0; i < p.length; i++) {
      p[i] = x.shape().normalizeAxis(permutation[i]);
      if (seen[p[i]]) {
        throw new IllegalArgumentException("permute: " + Arrays.toString(permutation) + " is not a permutation of the axes of " + x.shape());
      }
      seen[p[i]] = true;
    }
    int[] inverse = new int[p.length];
    boolean identity = true;
    for (int i = 0; i < p.length; i++) {
      inverse[p[i]] = i;
      identity &= p[i] == i;
    }
    if (identity) {
      return x;
    }
    RawTensor out = x.backend().permute(x.raw(), p);
    return record(Op.PERMUTE, out, g -> new Tensor[] {g.permute(inverse)}, x);
  }

  static Tensor concat(List<Tensor> parts, int axis) {
    checkArgument(!parts.isEmpty(), "concat: needs at least one tensor");
    Tensor first = parts.get(0);
    int ax = first.shape().normalizeAxis(axis);
    List<RawTensor> raws = new ArrayList<>(parts.size());
    int[] sizes = new int[parts.size()];
    for (int i = 0; i < parts.size(); i++) {
      Tensor t = parts.get(i);
      sameBackend(Op.CONCAT, first, t);
      sameDtype(Op.CONCAT, first, t);
      boolean ok = t.rank() == first.rank();
      for (int d = 0; ok && d < t.rank(); d++) {
        ok = d == ax || t.shape().dim(d) == first.shape().dim(d);
      }
      if (!ok) {
        throw new IllegalArgumentException(String.format(
            "concat: %s and %s differ outside axis %d", first.shape(), t.shape(), ax));
      }
      raws.add(t.raw());
      sizes[i] = t.shape().dim(ax);
    }
    if (parts.size() == 1) {
      return first;
    }
    RawTensor out = first.backend().concat(raws, ax);
    Node.Backward backward = g -> {
      Tensor[] grads = new Tensor[sizes.length];
      int offset = 0;
      for (int i = 0; i < sizes.length; i++) {
        grads[i] = g.sliceAxis(ax, offset, sizes[i]);
        offset += sizes[i];
      }
      return grads;
    };
    return record(Op.CONCAT, out, backward, parts.toArray(new Tensor[0]));
  }

  static Tensor slice(Tensor x, int[] begin, int[] size) {
    checkArgument(begin.length == x.rank() && size.length == x.rank(),
        "slice: %s with begin %s and size %s: need one entry per axis", x.shape(), Arrays.toString(begin), Arrays.toString(size));
    int[] after = new int[begin.length];
    boolean whole = true;
    for (int i = 0; i < begin.length; i++) {
      int dim = x.shape().dim(i);
      if (begin[i] < 0 || size[i] < 0 || begin[i] + size[i] > dim) {
        throw new IllegalArgumentException(String.format(
            "slice: %s with begin %s and size %s: axis %d range [%d, %d) is outside [0, %d)",
            x.shape(), Arrays.toString(begin), Arrays.toString(size), i, begin[i], begin[i] + size[i], dim));
      }
      after[i] = dim - begin[i] - size[i];
      whole &= size[i] == dim;
    }
    if (whole) {
      return x;
    }
    RawTensor out = x.backend().slice(x.raw(), begin.clone(), size.clone());
    int[] before = begin.clone();
    return record(Op.SLICE, out, g -> new Tensor[] {g.pad(before, after)}, before, null, -1, x);
  }

  static Tensor pad(Tensor x, int[] before, int[] after) {
    checkArgument(before.length == x.rank() && after.length == x.rank(),
        "pad: %s with before %s and after %s: need one entry per axis", x.shape(), Arrays.toString(before), Arrays.toString(after));
    boolean none = true;
    for (int i = 0; i < before.length; i++) {
      if (before[i] < 0 || after[i] < 0) {
        throw new IllegalArgumentException("pad: negative padding " + Arrays.toString(before) + " / " + Arrays.toString(after));
      }
      none &= before[i] == 0 && after[i] == 0;
    }
    if (none) {
      return x;
    }
    RawTensor out = x.backend().pad(x.raw(), before.clone(), after.clone());
    int[] begin = before.clone();
    int[] size = x.shape().toArray();
    return record(Op.PAD, out, g -> new Tensor[] {g.slice(begin, size)}, x);
  }

  // ---------------------------------------------------------------- indexing

  static Tensor gather(Tensor table, Tensor indices, int axis) {
    sameBackend(Op.GATHER, table, indices);
    checkArgument(indices.dtype() == DType.INT32, "gather: indices must be int32, got %s %s", indices.dtype().label(), indices.shape());
    int ax = table.shape().normalizeAxis(axis);
    RawTensor out = table.backend().gather(table.raw(), indices.raw(), ax);
    Shape tableShape = table.shape();
    Node.Backward backward = g -> new Tensor[] {scatterAdd(indices, g, ax, tableShape), null};
    return record(Op.GATHER, out, table.dtype().isFloating() ? backward : null, null, null, ax, table, indices);
  }

  static Tensor scatterAdd(Tensor indices, Tensor updates, int axis, Shape outShape) {
    sameBackend(Op.SCATTER_ADD, indices, updates);
    checkArgument(indices.dtype() == DType.INT32, "scatter_add: indices must be int32, got %s", indices.dtype().label());
    int ax = outShape.normalizeAxis(axis);
    int[] expected = expectedGatherShape(outShape, indices.shape(), ax);
    if (!Arrays.equals(expected, updates.shape().toArray())) {
      throw new IllegalArgumentException(String.format(
          "scatter_add: updates %s do not fit indices %s into %s on axis %d (expected updates %s)",
          updates.shape(), indices.shape(), outShape, ax, Arrays.toString(expected)));
    }
    RawTensor out = indices.backend().scatterAdd(indices.raw(), updates.raw(), ax, outShape);
    Node.Backward backward = g -> new Tensor[] {null, g.gather(indices, ax)};
    return record(Op.SCATTER_ADD, out, updates.dtype().isFloating() ? backward : null, indices, updates);
  }

  private static int[] expectedGatherShape(Shape table, Shape indices, int axis) {
    int[] t = table.toArray();
    int[] i = indices.toArray();
    int[] out = new int[t.length - 1 + i.length];
    System.arraycopy(t, 0, out, 0, axis);
    System.arraycopy(i, 0, out, axis, i.length);
    System.arraycopy(t, axis + 1, out, axis + i.length, t.length - axis - 1);
    return out;
  }

  static Tensor where(Tensor cond, Tensor a, Tensor b) {
    sameBackend(Op.WHERE, cond, a);
    sameBackend(Op.WHERE, a, b);
    sameDtype(Op.WHERE, a, b);
    Shape.broadcast("where", Shape.broadcast("where", cond.shape(), a.shape()), b.shape());
    RawTensor raw = a.backend().where(cond.raw(), a.raw(), b.raw());
    Node.Backward backward = g -> {
      Tensor zero = Tensors.zeros(g.backend(), g.dtype(), Shape.scalar());
      return new Tensor[] {null, a.requiresGrad() ? sumTo(where(cond, g, zero), a.shape()) : null,
          b.requiresGrad() ? sumTo(where(cond, zero, g), b.shape()) : null};
    };
    return record(Op.WHERE, raw, a.dtype().isFloating() ? backward : null, cond, a, b);
  }

  static Tensor cast(Tensor x, DType dtype) {
    if (x.dtype() == dtype) {
      return x;
    }
    RawTensor out = x.backend().cast(x.raw(), dtype);
    DType from = x.dtype();
    boolean diff = from.isFloating() && dtype.isFloating();
    return record(Op.CAST, out, diff ? g -> new Tensor[] {g.cast(from)} : null, x);
  }

  static Tensor argmax(Tensor x, int axis) {
    int ax = x.shape().normalizeAxis(axis);
    checkArgument(x.shape().dim(ax) > 0, "argmax: axis %s of %s is empty", ax, x.shape());
    return Tensor.wrap(x.backend(), x.backend().argmax(x.raw(), ax));
  }

  static Tensor[] topK(Tensor x, int k) {
    checkArgument(x.rank() >= 1, "top_k: needs rank >= 1, got a scalar");
    int last = x.shape().dim(-1);
    checkArgument(k >= 1 && k <= last, "top_k: k = %s out of range [1, %s] for %s", k, last, x.shape());
    RawTensor[] out = x.backend().topK(x.raw(), k);
    return new Tensor[] {Tensor.wrap(x.backend(), out[0]), Tensor.wrap(x.backend(), out[1])};
  }
}
