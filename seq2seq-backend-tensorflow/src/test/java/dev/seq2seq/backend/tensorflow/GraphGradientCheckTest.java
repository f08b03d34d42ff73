package dev.seq2seq.backend.tensorflow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.seq2seq.api.backend.Backend;
import dev.seq2seq.api.backend.Backends;
import dev.seq2seq.api.backend.Op;
import dev.seq2seq.api.conformance.Tolerance;
import dev.seq2seq.api.conformance.Tolerances;
import dev.seq2seq.api.random.Rng;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Gradients;
import dev.seq2seq.api.tensor.Shape;
import dev.seq2seq.api.tensor.Tensor;
import dev.seq2seq.api.tensor.TensorScope;
import dev.seq2seq.api.tensor.Tensors;
import dev.seq2seq.backend.tensorflow.GraphGradientOracle.Answer;
import dev.seq2seq.backend.tensorflow.GraphGradientOracle.GraphFunction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Max;
import org.tensorflow.op.core.Sum;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.op.math.Mean;
import org.tensorflow.op.train.BatchMatMul;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;

/**
 * Independent check of every backward rule: for each differentiable {@link Op}, the gradient our
 * autodiff computes ({@link Gradients#of}) equals the gradient TensorFlow's own graph machinery
 * computes ({@code Graph.addGradients}, TensorFlow's registered C++ gradient functions) for the same
 * function, loss {@code L = sum(y * w)} with fixed random weights {@code w}, float64 throughout.
 *
 * <p>The expected values come only from a TensorFlow graph built with TF Java's {@link Ops} (see
 * {@link GraphGradientOracle}); our side runs through the seq2seq {@link Tensor} API on the
 * {@code tensorflow} backend (and on {@code ejml} when that backend is on the test class path).
 * Both are exact float64 evaluations of the same mathematics, so they are compared with
 * {@link Tolerances#FLOAT64}. A differentiable op without a case fails the factory, so a new
 * primitive cannot go unchecked.
 */
class GraphGradientCheckTest {
  private static final Tolerance TOLERANCE = Tolerances.FLOAT64;

  /** Largest absolute gradient deviation seen per op and backend, printed after the run. */
  private static final Map<String, double[]> DEVIATIONS = new TreeMap<>();

  /** {@code y = f(x...)} written with the seq2seq Tensor API. */
  @FunctionalInterface
  private interface OurFunction {
    Tensor apply(Backend backend, List<Tensor> x);
  }

  private record Input(double[] values, int[] dims) {}

  /** One function of one op; {@code inputs} are the float64 tensors we differentiate with respect to. */
  private static final class Case {
    final Op op;
    final String name;
    final List<Input> inputs;
    final OurFunction ours;
    final GraphFunction theirs;
    final long weightSeed;
    private Answer answer;

    Case(Op op, String name, List<Input> inputs, OurFunction ours, GraphFunction theirs, long weightSeed) {
      this.op = op;
      this.name = name;
      this.inputs = inputs;
      this.ours = ours;
      this.theirs = theirs;
      this.weightSeed = weightSeed;
    }

    /** TensorFlow's answer, computed once and shared by the backends. */
    synchronized Answer expected() {
      if (answer == null) {
        List<double[]> values = inputs.stream().map(Input::values).collect(Collectors.toList());
        List<int[]> shapes = inputs.stream().map(Input::dims).collect(Collectors.toList());
        answer = GraphGradientOracle.gradients(values, shapes, theirs, size -> {
          Rng rng = new Rng(weightSeed);
          double[] w = new double[size];
          for (int i = 0; i < size; i++) {
            w[i] = -1.5 + 3.0 * rng.nextDouble();
          }
          return w;
        });
      }
      return answer;
    }
  }

  // ------------------------------------------------------------------ the factory

  @TestFactory
  Stream<DynamicNode> everyDifferentiableOpMatchesTensorFlowGraphGradients() {
    List<Case> cases = new Cases().all();
    List<String> backends = new ArrayList<>();
    backends.add(TensorFlowBackend.NAME);
    if (Backends.available().contains("ejml")) {
      backends.add("ejml");
    }
    Map<Op, List<Case>> byOp = new EnumMap<>(Op.class);
    for (Case c : cases) {
      byOp.computeIfAbsent(c.op, k -> new ArrayList<>()).add(c);
    }
    List<DynamicNode> nodes = new ArrayList<>();
    for (Op op : Op.values()) {
      List<Case> mine = byOp.getOrDefault(op, List.of());
      if (!op.isDifferentiable()) {
        if (!mine.isEmpty()) {
          nodes.add(dynamicTest(op.label() + " is not differentiable", () ->
              fail(op.label() + " is not differentiable but has gradient cases")));
        }
        continue;
      }
      if (mine.isEmpty()) {
        nodes.add(dynamicTest(op.label() + ": no case", () ->
            fail("differentiable op " + op.label() + " has no case in GraphGradientCheckTest: add one")));
        continue;
      }
      List<DynamicNode> tests = new ArrayList<>();
      for (Case c : mine) {
        for (String backend : backends) {
          tests.add(dynamicTest(c.name + " [" + backend + "]", () -> check(c, backend)));
        }
      }
      nodes.add(dynamicContainer(op.label(), tests));
    }
    return nodes.stream();
  }

  @AfterAll
  static void printDeviations() {
    StringBuilder sb = new StringBuilder("GraphGradientCheckTest: max |ours - TensorFlow| per op and backend"
        + " (gradient abs, gradient rel, forward abs):\n");
    DEVIATIONS.forEach((k, v) -> sb.append(String.format("  %-28s %.3e  %.3e  %.3e%n", k, v[0], v[1], v[2])));
    System.out.print(sb);
  }

  private static void check(Case c, String backendName) {
    Answer tf = c.expected();
    Backend backend = Backends.get(backendName);
    String what = c.op.label() + " / " + c.name + " on " + backendName;
    try (TensorScope ignored = TensorScope.open()) {
      List<Tensor> xs = new ArrayList<>();
      for (Input in : c.inputs) {
        xs.add(Tensors.of(backend, DType.FLOAT64, in.values().clone(), Shape.of(in.dims())).requiringGrad());
      }
      Tensor y = c.ours.apply(backend, xs);
      assertEquals(DType.FLOAT64, y.dtype(), what + ": output dtype");
      assertArrayEquals(tf.outputShape, y.shape().toArray(), what + ": output shape differs from TensorFlow's");
      double forward = compare(what + ": forward value", y.toDoubleArray(), tf.output)[0];

      Tensor w = Tensors.of(backend, DType.FLOAT64, tf.weights, y.shape());
      Tensor loss = y.mul(w).sum();
      List<Tensor> grads = Gradients.of(loss, xs);
      double maxAbs = 0;
      double maxRel = 0;
      for (int i = 0; i < xs.size(); i++) {
        Tensor g = grads.get(i);
        assertEquals(DType.FLOAT64, g.dtype(), what + ": dtype of the gradient of input " + i);
        assertArrayEquals(tf.gradientShapes.get(i), g.shape().toArray(),
            what + ": shape of the gradient of input " + i + " differs from TensorFlow's");
        assertArrayEquals(c.inputs.get(i).dims(), g.shape().toArray(), what + ": gradient " + i + " has not the input's shape");
        double[] dev = compare(what + ": d loss / d input " + i, g.toDoubleArray(), tf.gradients.get(i));
        maxAbs = Math.max(maxAbs, dev[0]);
        maxRel = Math.max(maxRel, dev[1]);
      }
      synchronized (DEVIATIONS) {
        double[] v = DEVIATIONS.computeIfAbsent(c.op.label() + " [" + backendName + "]", k -> new double[3]);
        v[0] = Math.max(v[0], maxAbs);
        v[1] = Math.max(v[1], maxRel);
        v[2] = Math.max(v[2], forward);
      }
    }
  }

  /** Element-wise comparison under {@link #TOLERANCE}; returns {max abs error, max rel error}. */
  private static double[] compare(String what, double[] ours, double[] theirs) {
    assertEquals(theirs.length, ours.length, what + ": element count");
    double maxAbs = 0;
    double maxRel = 0;
    for (int i = 0; i < ours.length; i++) {
      double err = Math.abs(ours[i] - theirs[i]);
      double scale = Math.max(Math.abs(ours[i]), Math.abs(theirs[i]));
      maxAbs = Math.max(maxAbs, err);
      if (scale > 0) {
        maxRel = Math.max(maxRel, err / scale);
      }
      if (!TOLERANCE.accepts(ours[i], theirs[i])) {
        fail(String.format("%s: element %d: ours %.17g, TensorFlow graph gradient %.17g (|diff| %.3e, tolerance %s)%n"
                + "  ours:       %s%n  TensorFlow: %s",
            what, i, ours[i], theirs[i], err, TOLERANCE, Arrays.toString(ours), Arrays.toString(theirs)));
      }
    }
    return new double[] {maxAbs, maxRel};
  }

  // ------------------------------------------------------------------ the cases

  /** Builds every case with one seeded stream, so the inputs are the same on every run. */
  private static final class Cases {
    private final Rng rng = new Rng(0x6A7D_2026L);
    private final List<Case> cases = new ArrayList<>();

    List<Case> all() {
      unary();
      binary();
      reductions();
      matmul();
      softmax();
      layerNorm();
      lstmCell();
      gruCell();
      additiveScores();
      layout();
      indexing();
      where();
      cast();
      return cases;
    }

    private void add(Op op, String name, OurFunction ours, GraphFunction theirs, Input... inputs) {
      cases.add(new Case(op, name, List.of(inputs), ours, theirs, 1000L + cases.size()));
    }

    private Input uniform(double low, double high, int... dims) {
      int n = Shape.of(dims).size();
      double[] v = new double[n];
      for (int i = 0; i < n; i++) {
        v[i] = low + (high - low) * rng.nextDouble();
      }
      return new Input(v, dims);
    }

    /** Small integers {@code 0..k-1}: many exact ties. */
    private Input integers(int k, int... dims) {
      int n = Shape.of(dims).size();
      double[] v = new double[n];
      for (int i = 0; i < n; i++) {
        v[i] = rng.nextInt(k);
      }
      return new Input(v, dims);
    }

    // -------------------------------------------------------------- elementwise

    private void unary() {
      unary(Op.NEG, -2, 2, Tensor::neg, (tf, x) -> tf.math.neg(x));
      unary(Op.EXP, -2, 2, Tensor::exp, (tf, x) -> tf.math.exp(x));
      unary(Op.LOG, 0.2, 3, Tensor::log, (tf, x) -> tf.math.log(x));
      unary(Op.SQRT, 0.2, 3, Tensor::sqrt, (tf, x) -> tf.math.sqrt(x));
      unary(Op.TANH, -3, 3, Tensor::tanh, (tf, x) -> tf.math.tanh(x));
      unary(Op.SIGMOID, -4, 4, Tensor::sigmoid, (tf, x) -> tf.math.sigmoid(x));
      unary(Op.RELU, -2, 2, Tensor::relu, (tf, x) -> tf.nn.relu(x));
      // relu at exactly 0: both take the derivative as 0 there.
      Input x = uniform(-2, 2, 3, 5);
      for (int i = 0; i < x.values().length; i += 3) {
        x.values()[i] = 0.0;
      }
      add(Op.RELU, "relu with exact zeros [3,5]", (b, xs) -> xs.get(0).relu(), (tf, xs) -> tf.nn.relu(xs.get(0)), x);
    }

    private void unary(Op op, double low, double high, UnaryOperator<Tensor> ours,
        java.util.function.BiFunction<Ops, Operand<TFloat64>, Operand<TFloat64>> theirs) {
      for (int[] dims : new int[][] {{2, 3, 4}, {5}}) {
        add(op, op.label() + " " + Arrays.toString(dims),
            (b, xs) -> ours.apply(xs.get(0)), (tf, xs) -> theirs.apply(tf, xs.get(0)), uniform(low, high, dims));
      }
    }

    @FunctionalInterface
    private interface TfBinary {
      Operand<TFloat64> apply(Ops tf, Operand<TFloat64> a, Operand<TFloat64> b);
    }

    private void binary() {
      binary(Op.ADD, -2, 2, Tensor::add, (tf, a, b) -> tf.math.add(a, b));
      binary(Op.SUB, -2, 2, Tensor::sub, (tf, a, b) -> tf.math.sub(a, b));
      binary(Op.MUL, -2, 2, Tensor::mul, (tf, a, b) -> tf.math.mul(a, b));
      binary(Op.DIV, 0.5, 2, Tensor::div, (tf, a, b) -> tf.math.div(a, b));
      binary(Op.MAXIMUM, -2, 2, Tensor::maximum, (tf, a, b) -> tf.math.maximum(a, b));

      // maximum with exact ties: both give the whole gradient to a on a tie.
      Input a = uniform(-2, 2, 3, 4);
      double[] bv = uniform(-2, 2, 3, 4).values();
      for (int i = 0; i < bv.length; i += 2) {
        bv[i] = a.values()[i];
      }
      add(Op.MAXIMUM, "maximum with ties [3,4] [3,4]", (be, xs) -> xs.get(0).maximum(xs.get(1)),
          (tf, xs) -> tf.math.maximum(xs.get(0), xs.get(1)), a, new Input(bv, new int[] {3, 4}));
      Input a2 = uniform(-2, 2, 2, 3);
      double[] row = Arrays.copyOf(a2.values(), 3); // b equals the first row of a: ties there, broadcast
      add(Op.MAXIMUM, "maximum with ties, broadcast [2,3] [3]", (be, xs) -> xs.get(0).maximum(xs.get(1)),
          (tf, xs) -> tf.math.maximum(xs.get(0), xs.get(1)), a2, new Input(row, new int[] {3}));
    }

    private void binary(Op op, double bLow, double bHigh, java.util.function.BinaryOperator<Tensor> ours, TfBinary theirs) {
      int[][][] shapes = {
        {{3, 4}, {3, 4}},
        {{2, 3, 4}, {3, 1}},
        {{4}, {2, 3, 4}},
        {{2, 1, 4}, {3, 1}},
        {{2, 3}, {}},
      };
      for (int[][] s : shapes) {
        add(op, op.label() + " " + Arrays.toString(s[0]) + " " + Arrays.toString(s[1]),
            (be, xs) -> ours.apply(xs.get(0), xs.get(1)), (tf, xs) -> theirs.apply(tf, xs.get(0), xs.get(1)),
            uniform(-2, 2, s[0]), uniform(bLow, bHigh, s[1]));
      }
    }

    // -------------------------------------------------------------- reductions

    private void reductions() {
      for (Op op : new Op[] {Op.SUM, Op.MEAN, Op.MAX}) {
        int[][] axesList = {{1}, {0, 2}, {-1}, {}};
        for (int[] axes : axesList) {
          for (boolean keepDims : new boolean[] {false, true}) {
            if (axes.length == 0 && keepDims) {
              continue;
            }
            reduction(op, axes, keepDims, uniform(-2, 2, 2, 3, 4), "");
          }
        }
      }
      // max with tied maxima: both share the gradient equally among the tied entries.
      reduction(Op.MAX, new int[] {1}, false, integers(3, 2, 3, 4), " with ties");
      reduction(Op.MAX, new int[] {0, 2}, true, integers(2, 2, 3, 4), " with ties");
      reduction(Op.MAX, new int[] {}, false, integers(3, 2, 3, 4), " with ties");
    }

    private void reduction(Op op, int[] axes, boolean keepDims, Input x, String suffix) {
      int[] tfAxes = axes.length == 0 ? new int[] {0, 1, 2} : axes;
      String name = op.label() + " [2,3,4] over " + (axes.length == 0 ? "all axes" : Arrays.toString(axes))
          + (keepDims ? " keepDims" : "") + suffix;
      OurFunction ours = (b, xs) -> {
        Tensor t = xs.get(0);
        switch (op) {
          case SUM:
            return t.sum(axes, keepDims);
          case MEAN:
            return t.mean(axes, keepDims);
          default:
            return t.max(axes, keepDims);
        }
      };
      GraphFunction theirs = (tf, xs) -> {
        Operand<TInt32> ax = tf.constant(tfAxes);
        switch (op) {
          case SUM:
            return tf.sum(xs.get(0), ax, Sum.keepDims(keepDims));
          case MEAN:
            return tf.math.mean(xs.get(0), ax, Mean.keepDims(keepDims));
          default:
            return tf.max(xs.get(0), ax, Max.keepDims(keepDims));
        }
      };
      add(op, name, ours, theirs, x);
    }

    // -------------------------------------------------------------- matmul

    private void matmul() {
      int m = 3;
      int k = 4;
      int n = 5;
      for (boolean ta : new boolean[] {false, true}) {
        for (boolean tb : new boolean[] {false, true}) {
          int[] a = ta ? new int[] {k, m} : new int[] {m, k};
          int[] b = tb ? new int[] {n, k} : new int[] {k, n};
          String flags = (ta ? "a^T" : "a") + " x " + (tb ? "b^T" : "b");
          add(Op.MATMUL, "matmul " + flags + " " + Arrays.toString(a) + " " + Arrays.toString(b),
              (be, xs) -> xs.get(0).matmul(xs.get(1), ta, tb),
              (tf, xs) -> tf.linalg.matMul(xs.get(0), xs.get(1), MatMul.transposeA(ta), MatMul.transposeB(tb)),
              uniform(-2, 2, a), uniform(-2, 2, b));
          // Batched, batch dimensions [2,1] and [3] broadcast to [2,3].
          int[] ba = {2, 1, a[0], a[1]};
          int[] bb = {3, b[0], b[1]};
          add(Op.MATMUL, "batched matmul " + flags + " " + Arrays.toString(ba) + " " + Arrays.toString(bb),
              (be, xs) -> xs.get(0).matmul(xs.get(1), ta, tb),
              (tf, xs) -> tf.train.batchMatMul(xs.get(0), xs.get(1), TFloat64.class, BatchMatMul.adjX(ta), BatchMatMul.adjY(tb)),
              uniform(-2, 2, ba), uniform(-2, 2, bb));
        }
      }
      add(Op.MATMUL, "batched matmul [2,3,4] x [4,5] (b broadcast over the batch)",
          (be, xs) -> xs.get(0).matmul(xs.get(1)),
          (tf, xs) -> tf.train.batchMatMul(xs.get(0), xs.get(1), TFloat64.class),
          uniform(-2, 2, 2, 3, 4), uniform(-2, 2, 4, 5));
    }

    // -------------------------------------------------------------- softmax

    private void softmax() {
      for (boolean log : new boolean[] {false, true}) {
        Op op = log ? Op.LOG_SOFTMAX : Op.SOFTMAX;
        for (int axis : new int[] {1, 2, 0}) {
          add(op, op.label() + " [2,3,4] axis " + axis,
              (be, xs) -> log ? xs.get(0).logSoftmax(axis) : xs.get(0).softmax(axis),
              (tf, xs) -> alongAxis(tf, xs.get(0), axis, new int[] {2, 3, 4}, log),
              uniform(-3, 3, 2, 3, 4));
        }
        for (int axis : new int[] {1, 0}) {
          add(op, op.label() + " [4,5] axis " + axis,
              (be, xs) -> log ? xs.get(0).logSoftmax(axis) : xs.get(0).softmax(axis),
              (tf, xs) -> alongAxis(tf, xs.get(0), axis, new int[] {4, 5}, log),
              uniform(-3, 3, 4, 5));
        }
      }
    }

    /**
     * TF's (log-)softmax works on the last axis: swap {@code axis} to the end, apply, swap back.
     *
     * <p>LogSoftmax is applied to a rank-2 view {@code [-1, n]}: TensorFlow's registered C++
     * gradient of LogSoftmax ({@code LogSoftmaxGrad} in {@code tensorflow/cc/gradients/nn_grad.cc},
     * which {@code Graph.addGradients} uses) sums the incoming gradient over axis 1 instead of the
     * last axis, so it is only right for rank-2 inputs; on a rank-3 input it disagreed with ours by
     * O(1) on every axis. Softmax's C++ gradient reduces over the last axis and is used on rank 3
     * directly.
     */
    private static Operand<TFloat64> alongAxis(Ops tf, Operand<TFloat64> x, int axis, int[] dims, boolean log) {
      int rank = dims.length;
      int[] perm = new int[rank];
      for (int i = 0; i < rank; i++) {
        perm[i] = i;
      }
      perm[axis] = rank - 1;
      perm[rank - 1] = axis;
      int[] swapped = new int[rank];
      for (int i = 0; i < rank; i++) {
        swapped[i] = dims[perm[i]];
      }
      Operand<TFloat64> t = axis == rank - 1 ? x : tf.linalg.transpose(x, tf.constant(perm));
      Operand<TFloat64> y;
      if (log) {
        Operand<TFloat64> rows = rank == 2 ? t : tf.reshape(t, tf.constant(new int[] {-1, swapped[rank - 1]}));
        y = tf.nn.logSoftmax(rows);
        y = rank == 2 ? y : tf.reshape(y, tf.constant(swapped));
      } else {
        y = tf.nn.softmax(t);
      }
      return axis == rank - 1 ? y : tf.linalg.transpose(y, tf.constant(perm));
    }

    // -------------------------------------------------------------- lstm cell

    private void lstmCell() {
      int h = 3;
      add(Op.LSTM_CELL, "lstm_cell B=2 H=3",
          (be, xs) -> Tensor.lstmCell(xs.get(0), xs.get(1)),
          (tf, xs) -> {
            Operand<TFloat64> a = xs.get(0);
            Operand<TFloat64> i = tf.math.sigmoid(block(tf, a, 0, h));
            Operand<TFloat64> f = tf.math.sigmoid(block(tf, a, h, h));
            Operand<TFloat64> g = tf.math.tanh(block(tf, a, 2 * h, h));
            Operand<TFloat64> o = tf.math.sigmoid(block(tf, a, 3 * h, h));
            Operand<TFloat64> c = tf.math.add(tf.math.mul(f, xs.get(1)), tf.math.mul(i, g));
            return tf.concat(List.of(tf.math.mul(o, tf.math.tanh(c)), c), tf.constant(1));
          },
          uniform(-2, 2, 2, 4 * h), uniform(-1, 1, 2, h));
    }

    private void gruCell() {
      int h = 3;
      add(Op.GRU_CELL, "gru_cell B=2 H=3",
          (be, xs) -> Tensor.gruCell(xs.get(0), xs.get(1), xs.get(2)),
          (tf, xs) -> {
            Operand<TFloat64> gi = xs.get(0);
            Operand<TFloat64> gh = xs.get(1);
            Operand<TFloat64> r = tf.math.sigmoid(tf.math.add(block(tf, gi, 0, h), block(tf, gh, 0, h)));
            Operand<TFloat64> z = tf.math.sigmoid(tf.math.add(block(tf, gi, h, h), block(tf, gh, h, h)));
            Operand<TFloat64> n = tf.math.tanh(tf.math.add(block(tf, gi, 2 * h, h), tf.math.mul(r, block(tf, gh, 2 * h, h))));
            return tf.math.add(n, tf.math.mul(z, tf.math.sub(xs.get(2), n)));
          },
          uniform(-2, 2, 2, 3 * h), uniform(-2, 2, 2, 3 * h), uniform(-1, 1, 2, h));
    }

    private void additiveScores() {
      // sum_a w[a] tanh(q[b, i, a] + k[b, s, a]) written with TensorFlow's own broadcasting: [B, Tq, 1, A] + [B, 1, S, A]
      add(Op.ADDITIVE_SCORES, "additive_scores B=2 Tq=2 S=3 A=4",
          (be, xs) -> Tensor.additiveScores(xs.get(0), xs.get(1), xs.get(2)),
          (tf, xs) -> {
            Operand<TFloat64> sum = tf.math.add(tf.expandDims(xs.get(0), tf.constant(2)), tf.expandDims(xs.get(1), tf.constant(1)));
            return tf.sum(tf.math.mul(tf.math.tanh(sum), xs.get(2)), tf.constant(-1));
          },
          uniform(-2, 2, 2, 2, 4), uniform(-2, 2, 2, 3, 4), uniform(-1, 1, 4));
    }

    private static Operand<TFloat64> block(Ops tf, Operand<TFloat64> a, int begin, int size) {
      return tf.slice(a, tf.constant(new int[] {0, begin}), tf.constant(new int[] {-1, size}));
    }

    // -------------------------------------------------------------- layer norm

    private void layerNorm() {
      add(Op.LAYER_NORM, "layer_norm [2,3,5] with weight and bias [5]",
          (be, xs) -> xs.get(0).layerNorm(xs.get(1), xs.get(2), 1e-5),
          (tf, xs) -> {
            Operand<TInt32> last = tf.constant(new int[] {-1});
            Operand<TFloat64> centered = tf.math.sub(xs.get(0), tf.math.mean(xs.get(0), last, Mean.keepDims(true)));
            Operand<TFloat64> variance = tf.math.mean(tf.math.square(centered), last, Mean.keepDims(true));
            Operand<TFloat64> std = tf.math.sqrt(tf.math.add(variance, tf.constant(1e-5)));
            return tf.math.add(tf.math.mul(tf.math.div(centered, std), xs.get(1)), xs.get(2));
          },
          uniform(-2, 2, 2, 3, 5), uniform(0.5, 1.5, 5), uniform(-1, 1, 5));
    }

    // -------------------------------------------------------------- layout

    private void layout() {
      for (int[] dims : new int[][] {{4, 6}, {6, -1}, {24}, {2, 12, 1}}) {
        add(Op.RESHAPE, "reshape [2,3,4] to " + Arrays.toString(dims),
            (be, xs) -> xs.get(0).reshape(dims), (tf, xs) -> tf.reshape(xs.get(0), tf.constant(dims)),
            uniform(-2, 2, 2, 3, 4));
      }

      for (int[] perm : new int[][] {{2, 0, 1}, {0, 2, 1}, {1, 2, 0}}) {
        add(Op.PERMUTE, "permute [2,3,4] by " + Arrays.toString(perm),
            (be, xs) -> xs.get(0).permute(perm), (tf, xs) -> tf.linalg.transpose(xs.get(0), tf.constant(perm)),
            uniform(-2, 2, 2, 3, 4));
      }
      add(Op.PERMUTE, "permute [3,5] by [1,0]",
          (be, xs) -> xs.get(0).permute(1, 0), (tf, xs) -> tf.linalg.transpose(xs.get(0), tf.constant(new int[] {1, 0})),
          uniform(-2, 2, 3, 5));

      concat(1, new int[][] {{2, 1, 4}, {2, 3, 4}, {2, 2, 4}});
      concat(0, new int[][] {{1, 3}, {2, 3}});
      concat(2, new int[][] {{2, 3, 1}, {2, 3, 2}});

      slice(new int[] {3, 4, 5}, new int[] {1, 0, 2}, new int[] {2, 3, 2});
      slice(new int[] {4, 5}, new int[] {1, 1}, new int[] {2, 3});
      slice(new int[] {6}, new int[] {2}, new int[] {3});

      pad(new int[] {2, 3, 4}, new int[] {0, 1, 2}, new int[] {1, 0, 1});
      pad(new int[] {3, 4}, new int[] {1, 0}, new int[] {0, 2});
      pad(new int[] {4}, new int[] {3}, new int[] {1});
    }

    private void concat(int axis, int[][] parts) {
      Input[] inputs = new Input[parts.length];
      for (int i = 0; i < parts.length; i++) {
        inputs[i] = uniform(-2, 2, parts[i]);
      }
      add(Op.CONCAT, "concat " + Arrays.stream(parts).map(Arrays::toString).collect(Collectors.joining(" ")) + " axis " + axis,
          (be, xs) -> Tensor.concat(xs, axis), (tf, xs) -> tf.concat(xs, tf.constant(axis)), inputs);
    }

    private void slice(int[] dims, int[] begin, int[] size) {
      add(Op.SLICE, "slice " + Arrays.toString(dims) + " begin " + Arrays.toString(begin) + " size " + Arrays.toString(size),
          (be, xs) -> xs.get(0).slice(begin, size),
          (tf, xs) -> tf.slice(xs.get(0), tf.constant(begin), tf.constant(size)),
          uniform(-2, 2, dims));
    }

    private void pad(int[] dims, int[] before, int[] after) {
      int[][] paddings = new int[dims.length][];
      for (int i = 0; i < dims.length; i++) {
        paddings[i] = new int[] {before[i], after[i]};
      }
      add(Op.PAD, "pad " + Arrays.toString(dims) + " before " + Arrays.toString(before) + " after " + Arrays.toString(after),
          (be, xs) -> xs.get(0).pad(before, after),
          (tf, xs) -> tf.pad(xs.get(0), tf.constant(paddings), tf.constant(0.0)),
          uniform(-2, 2, dims));
    }

    // -------------------------------------------------------------- indexing

    private void indexing() {
      // gather: repeated indices, so the backward rule must add up several contributions per row.
      gather(new int[] {5, 3}, 0, new int[] {1, 3, 1, 1, 0}, new int[] {5});
      gather(new int[] {2, 5, 3}, 1, new int[] {0, 4, 4, 0, 2, 4}, new int[] {3, 2});
      gather(new int[] {2, 3, 4}, 2, new int[] {3, 3, 0}, new int[] {3});

      scatterAdd(new int[] {4, 3}, 0, new int[] {1, 3, 1, 0, 1}, new int[] {5});
      scatterAdd(new int[] {3, 3}, 0, new int[] {0, 2, 2, 2}, new int[] {2, 2});
      scatterAdd(new int[] {2, 4, 3}, 1, new int[] {2, 0, 2}, new int[] {3});
    }

    private void gather(int[] table, int axis, int[] indices, int[] indexDims) {
      add(Op.GATHER, "gather " + Arrays.toString(table) + " axis " + axis + " indices " + Arrays.toString(indices)
              + " shaped " + Arrays.toString(indexDims),
          (be, xs) -> xs.get(0).gather(Tensors.of(be, indices, indexDims), axis),
          (tf, xs) -> tf.gather(xs.get(0), ints(tf, indices, indexDims), tf.constant(axis)),
          uniform(-2, 2, table));
    }

    private void scatterAdd(int[] out, int axis, int[] indices, int[] indexDims) {
      int[] updates = new int[out.length - 1 + indexDims.length];
      System.arraycopy(out, 0, updates, 0, axis);
      System.arraycopy(indexDims, 0, updates, axis, indexDims.length);
      System.arraycopy(out, axis + 1, updates, axis + indexDims.length, out.length - axis - 1);
      GraphFunction theirs;
      if (axis == 0) {
        theirs = (tf, xs) -> tf.math.unsortedSegmentSum(xs.get(0), ints(tf, indices, indexDims), tf.constant(out[0]));
      } else {
        // UnsortedSegmentSum sums along the leading axes: move the axis to the front and back.
        if (indexDims.length != 1) {
          throw new IllegalArgumentException("only 1-D indices away from axis 0");
        }
        int[] perm = new int[out.length];
        for (int i = 0; i < perm.length; i++) {
          perm[i] = i;
        }
        perm[0] = axis;
        perm[axis] = 0;
        theirs = (tf, xs) -> tf.linalg.transpose(
            tf.math.unsortedSegmentSum(tf.linalg.transpose(xs.get(0), tf.constant(perm)), ints(tf, indices, indexDims),
                tf.constant(out[axis])),
            tf.constant(perm));
      }
      add(Op.SCATTER_ADD, "scatter_add into " + Arrays.toString(out) + " axis " + axis + " indices "
              + Arrays.toString(indices) + " shaped " + Arrays.toString(indexDims),
          (be, xs) -> Tensor.scatterAdd(Tensors.of(be, indices, indexDims), xs.get(0), axis, Shape.of(out)),
          theirs, uniform(-2, 2, updates));
    }

    private static Operand<TInt32> ints(Ops tf, int[] values, int[] dims) {
      return tf.constant(org.tensorflow.ndarray.Shape.of(Arrays.stream(dims).asLongStream().toArray()), DataBuffers.of(values));
    }

    // -------------------------------------------------------------- where, cast

    private void where() {
      int[][][] shapes = {
        {{3, 1}, {2, 3, 4}, {4}},
        {{3, 4}, {3, 4}, {3, 4}},
        {{2, 3, 4}, {2, 3, 4}, {}},
        {{4}, {3, 1}, {2, 1, 1}},
      };
      for (int[][] s : shapes) {
        Input cond = integers(2, s[0]);
        add(Op.WHERE, "where cond " + Arrays.toString(s[0]) + " a " + Arrays.toString(s[1]) + " b " + Arrays.toString(s[2]),
            (be, xs) -> Tensor.where(Tensors.of(be, DType.FLOAT64, cond.values(), Shape.of(cond.dims())), xs.get(0), xs.get(1)),
            (tf, xs) -> tf.select(
                tf.math.notEqual(tf.constant(org.tensorflow.ndarray.Shape.of(Arrays.stream(cond.dims()).asLongStream().toArray()),
                    DataBuffers.of(cond.values().clone(), true, false)), tf.constant(0.0)),
                xs.get(0), xs.get(1)),
            uniform(-2, 2, s[1]), uniform(-2, 2, s[2]));
      }
    }

    private void cast() {
      // float64 -> float32 -> float64: exercises the backward rule of both directions (each casts
      // the incoming gradient back to its input's type); the float32 rounding of the forward values
      // and of the gradient is the same in both frameworks, so float64 tolerances still apply.
      for (int[] dims : new int[][] {{3, 4}, {5}}) {
        add(Op.CAST, "cast float64 -> float32 -> float64 " + Arrays.toString(dims),
            (be, xs) -> xs.get(0).cast(DType.FLOAT32).cast(DType.FLOAT64),
            (tf, xs) -> tf.dtypes.cast(tf.dtypes.cast(xs.get(0), TFloat32.class), TFloat64.class),
            uniform(-2, 2, dims));
      }
    }
  }
}
