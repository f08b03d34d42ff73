package dev.seq2seq.api.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seq2seq.api.backend.Backend;
import dev.seq2seq.api.backend.Op;
import dev.seq2seq.api.random.Rng;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Gradients;
import dev.seq2seq.api.tensor.Shape;
import dev.seq2seq.api.tensor.Tensor;
import dev.seq2seq.api.tensor.Tensors;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Cross-backend equivalence: for every {@link Op}, seeded random inputs of several shapes give the
 * same forward values and the same gradients on a {@link #candidate()} backend as on the
 * {@link #reference()} backend, in float32 ({@link Tolerances#FLOAT32}; matmul
 * {@link Tolerances#FLOAT32_MATMUL}) and float64 ({@link Tolerances#FLOAT64}). The gradient compared is that of {@code sum(f(x) * w)} for fixed
 * random weights {@code w}. {@link #everyOpHasACrossBackendCase()} fails when an op has no case.
 */
@ExtendWith(UnsupportedOpsAreReported.class)
public abstract class CrossBackendSuite {
  /** The backend whose results are taken as the reference (ejml). */
  protected abstract Backend reference();

  /** The backend under test. */
  protected abstract Backend candidate();

  /** One input: floats uniform in {@code [low, high)}, or int32 ids in {@code [0, bound)}. */
  protected record Input(Shape shape, boolean ints, double low, double high) {
    static Input floats(double low, double high, int... dims) {
      return new Input(Shape.of(dims), false, low, high);
    }

    static Input ids(int bound, int... dims) {
      return new Input(Shape.of(dims), true, 0, bound);
    }
  }

  /** One comparison: an op, a name, its inputs and the function of them. */
  protected record Case(Op op, String name, List<Input> inputs, Function<List<Tensor>, Tensor> f) {}

  private static Case c(Op op, String name, Function<List<Tensor>, Tensor> f, Input... inputs) {
    return new Case(op, name, List.of(inputs), f);
  }

  private static Input fl(int... dims) {
    return Input.floats(-2, 2, dims);
  }

  private static Input pos(int... dims) {
    return Input.floats(0.25, 3, dims);
  }

  /** Every case: several shapes per op, including broadcasting. */
  protected static List<Case> cases() {
    List<Case> cs = new ArrayList<>();
    for (int[] dims : new int[][] {{7}, {3, 5}, {2, 3, 4}}) {
      String s = Shape.of(dims).toString();
      cs.add(c(Op.NEG, "neg " + s, in -> in.get(0).neg(), fl(dims)));
      cs.add(c(Op.EXP, "exp " + s, in -> in.get(0).exp(), fl(dims)));
      cs.add(c(Op.LOG, "log " + s, in -> in.get(0).log(), pos(dims)));
      cs.add(c(Op.SQRT, "sqrt " + s, in -> in.get(0).sqrt(), pos(dims)));
      cs.add(c(Op.TANH, "tanh " + s, in -> in.get(0).tanh(), fl(dims)));
      cs.add(c(Op.SIGMOID, "sigmoid " + s, in -> in.get(0).sigmoid(), fl(dims)));
      cs.add(c(Op.RELU, "relu " + s, in -> in.get(0).relu(), fl(dims)));
    }
    int[][][] pairs = {{{3, 5}, {3, 5}}, {{2, 1, 4}, {3, 1}}, {{4, 6}, {}}, {{5}, {2, 5}}};
    for (int[][] p : pairs) {
      String s = Shape.of(p[0]) + " (+) " + Shape.of(p[1]);
      cs.add(c(Op.ADD, "add " + s, in -> in.get(0).add(in.get(1)), fl(p[0]), fl(p[1])));
      cs.add(c(Op.SUB, "sub " + s, in -> in.get(0).sub(in.get(1)), fl(p[0]), fl(p[1])));
      cs.add(c(Op.MUL, "mul " + s, in -> in.get(0).mul(in.get(1)), fl(p[0]), fl(p[1])));
      cs.add(c(Op.DIV, "div " + s, in -> in.get(0).div(in.get(1)), fl(p[0]), pos(p[1])));
      cs.add(c(Op.MAXIMUM, "maximum " + s, in -> in.get(0).maximum(in.get(1)), fl(p[0]), fl(p[1])));
      // comparisons on small integers so that ties (EQUAL) actually occur
      cs.add(c(Op.EQUAL, "equal " + s, in -> in.get(0).eq(in.get(1)), Input.ids(3, p[0]), Input.ids(3, p[1])));
      cs.add(c(Op.GREATER, "greater " + s, in -> in.get(0).gt(in.get(1)), fl(p[0]), fl(p[1])));
      cs.add(c(Op.LESS, "less " + s, in -> in.get(0).lt(in.get(1)), fl(p[0]), fl(p[1])));
    }
    for (int[] axes : new int[][] {{}, {0}, {1}, {0, 2}, {-1}}) {
      String s = java.util.Arrays.toString(axes);
      cs.add(c(Op.SUM, "sum " + s, in -> in.get(0).sum(axes, false), fl(3, 4, 5)));
      cs.add(c(Op.MEAN, "mean keep " + s, in -> in.get(0).mean(axes, true), fl(3, 4, 5)));
      cs.add(c(Op.MAX, "max " + s, in -> in.get(0).max(axes, false), fl(3, 4, 5)));
    }
    cs.add(c(Op.SUM, "sum of 10^5", in -> in.get(0).sum(), fl(100_000)));
    boolean[] flags = {false, true};
    for (boolean ta : flags) {
      for (boolean tb : flags) {
        String s = (ta ? "A^T" : "A") + " " + (tb ? "B^T" : "B");
        cs.add(c(Op.MATMUL, "matmul " + s, in -> in.get(0).matmul(in.get(1), ta, tb),
            fl(ta ? new int[] {16, 9} : new int[] {9, 16}), fl(tb ? new int[] {7, 16} : new int[] {16, 7})));
      }
    }
    cs.add(c(Op.MATMUL, "matmul [2,1,5,8] x [3,8,4]", in -> in.get(0).matmul(in.get(1)), fl(2, 1, 5, 8), fl(3, 8, 4)));
    cs.add(c(Op.MATMUL, "matmul [4,6,32] x [32,16] (a linear layer)", in -> in.get(0).matmul(in.get(1)), fl(4, 6, 32), fl(32, 16)));
    cs.add(c(Op.MATMUL, "matmul K=256", in -> in.get(0).matmul(in.get(1)), fl(8, 256), fl(256, 8)));
    for (int axis : new int[] {0, 1, -1}) {
      cs.add(c(Op.SOFTMAX, "softmax axis " + axis, in -> in.get(0).softmax(axis), Input.floats(-4, 4, 3, 4, 5)));
      cs.add(c(Op.LOG_SOFTMAX, "log_softmax axis " + axis, in -> in.get(0).logSoftmax(axis), Input.floats(-4, 4, 3, 4, 5)));
    }
    cs.add(c(Op.GRU_CELL, "gru_cell B=5 H=16", in -> Tensor.gruCell(in.get(0), in.get(1), in.get(2)), fl(5, 48), fl(5, 48), fl(5, 16)));
    cs.add(c(Op.GRU_CELL, "gru_cell of products and biases B=5 H=16",
        in -> Tensor.gruCell(in.get(0), in.get(1), in.get(2), in.get(3), in.get(4)), fl(5, 48), fl(48), fl(5, 48), fl(48), fl(5, 16)));
    cs.add(c(Op.LSTM_CELL, "lstm_cell B=5 H=16", in -> Tensor.lstmCell(in.get(0), in.get(1)), fl(5, 64), fl(5, 16)));
    cs.add(c(Op.LSTM_CELL, "lstm_cell of x, h, bias B=5 H=16", in -> Tensor.lstmCell(in.get(0), in.get(1), in.get(2), in.get(3)),
        fl(5, 64), fl(5, 64), fl(64), fl(5, 16)));
    cs.add(c(Op.ADDITIVE_SCORES, "additive_scores B=3 Tq=2 S=7 A=40", in -> Tensor.additiveScores(in.get(0), in.get(1), in.get(2)),
        fl(3, 2, 40), fl(3, 7, 40), fl(40)));
    cs.add(c(Op.LAYER_NORM, "layer_norm [4,6,16]", in -> in.get(0).layerNorm(in.get(1), in.get(2), 1e-5), fl(4, 6, 16), fl(16), fl(16)));
    cs.add(c(Op.RESHAPE, "reshape [2,3,4] -> [4,-1]", in -> in.get(0).reshape(4, -1), fl(2, 3, 4)));
    cs.add(c(Op.PERMUTE, "permute (2,0,1)", in -> in.get(0).permute(2, 0, 1), fl(2, 3, 4)));
    cs.add(c(Op.PERMUTE, "permute (1,0,3,2)", in -> in.get(0).permute(1, 0, 3, 2), fl(2, 3, 4, 5)));
    cs.add(c(Op.CONCAT, "concat axis 1", in -> Tensor.concat(List.of(in.get(0), in.get(1)), 1), fl(2, 3, 4), fl(2, 5, 4)));
    cs.add(c(Op.CONCAT, "concat axis -1", in -> Tensor.concat(List.of(in.get(0), in.get(1), in.get(0)), -1), fl(3, 2), fl(3, 4)));
    cs.add(c(Op.SLICE, "slice", in -> in.get(0).slice(new int[] {1, 0, 2}, new int[] {2, 3, 2}), fl(3, 3, 4)));
    cs.add(c(Op.PAD, "pad", in -> in.get(0).pad(new int[] {1, 0, 2}, new int[] {0, 2, 1}), fl(2, 3, 4)));
    cs.add(c(Op.GATHER, "gather axis 0 (embedding)", in -> in.get(0).gather(in.get(1), 0), fl(10, 6), Input.ids(10, 4, 7)));
    cs.add(c(Op.GATHER, "gather axis 1", in -> in.get(0).gather(in.get(1), 1), fl(3, 8, 2), Input.ids(8, 5)));
    cs.add(c(Op.SCATTER_ADD, "scatter_add axis 0", in -> Tensor.scatterAdd(in.get(1), in.get(0), 0, Shape.of(6, 3)),
        fl(4, 5, 3), Input.ids(6, 4, 5)));
    cs.add(c(Op.SCATTER_ADD, "scatter_add axis 1", in -> Tensor.scatterAdd(in.get(1), in.get(0), 1, Shape.of(2, 5)),
        fl(2, 9), Input.ids(5, 9)));
    cs.add(c(Op.WHERE, "where broadcast", in -> Tensor.where(in.get(0).gt(0.0), in.get(1), in.get(2)), fl(3, 1), fl(3, 4), fl(4)));
    cs.add(c(Op.CAST, "cast to float64 and back", in -> in.get(0).cast(DType.FLOAT64).mul(in.get(0).cast(DType.FLOAT64)).cast(in.get(0).dtype()), fl(3, 4)));
    cs.add(c(Op.CAST, "cast to int32", in -> in.get(0).mul(3.0).cast(DType.INT32), fl(3, 4)));
    cs.add(c(Op.ARGMAX, "argmax axis 1", in -> in.get(0).argmax(1), fl(4, 9, 3)));
    cs.add(c(Op.ARGMAX, "argmax axis -1", in -> in.get(0).argmax(-1), fl(5, 11)));
    cs.add(c(Op.TOP_K, "top_k values", in -> in.get(0).topK(3)[0], fl(4, 10)));
    cs.add(c(Op.TOP_K, "top_k indices", in -> in.get(0).topK(4)[1], fl(2, 3, 12)));
    return cs;
  }

  @Test
  void everyOpHasACrossBackendCase() {
    Set<Op> covered = EnumSet.noneOf(Op.class);
    cases().forEach(k -> covered.add(k.op()));
    assertThat(EnumSet.complementOf(EnumSet.copyOf(covered))).as("ops without a cross-backend case").isEmpty();
  }

  @TestFactory
  Stream<DynamicTest> float32ForwardAndGradientsAgree() {
    return cases().stream().map(k -> DynamicTest.dynamicTest(k.name() + " float32", () -> compare(k, DType.FLOAT32)));
  }

  @TestFactory
  Stream<DynamicTest> float64ForwardAndGradientsAgree() {
    return cases().stream().map(k -> DynamicTest.dynamicTest(k.name() + " float64", () -> compare(k, DType.FLOAT64)));
  }

  @Test
  void seededRandomTensorsAreIdenticalOnBothBackends() {
    for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
      Shape shape = Shape.of(64, 33);
      assertThat(Tensors.uniform(candidate(), dt, shape, new Rng(5), -0.1, 0.1).toDoubleArray())
          .containsExactly(Tensors.uniform(reference(), dt, shape, new Rng(5), -0.1, 0.1).toDoubleArray());
      assertThat(Tensors.normal(candidate(), dt, shape, new Rng(6), 0, 1).toDoubleArray())
          .containsExactly(Tensors.normal(reference(), dt, shape, new Rng(6), 0, 1).toDoubleArray());
      assertThat(Tensors.bernoulli(candidate(), dt, shape, new Rng(7), 0.9).toDoubleArray())
          .containsExactly(Tensors.bernoulli(reference(), dt, shape, new Rng(7), 0.9).toDoubleArray());
    }
  }

  private void compare(Case k, DType dtype) {
    long seed = k.name().hashCode();
    List<double[]> values = new ArrayList<>();
    Rng rng = new Rng(seed);
    for (Input in : k.inputs()) {
      double[] v = new double[in.shape().size()];
      for (int i = 0; i < v.length; i++) {
        v[i] = in.ints() ? rng.nextInt((int) in.high()) : in.low() + (in.high() - in.low()) * rng.nextDouble();
      }
      values.add(v);
    }
    Result ref = run(reference(), k, dtype, values);
    Result cand = run(candidate(), k, dtype, values);
    String what = k.name() + " " + dtype.label() + " " + candidate().name() + " vs " + reference().name();
    assertThat(cand.output.shape()).as("%s: output shape", what).isEqualTo(ref.output.shape());
    assertThat(cand.output.dtype()).as("%s: output dtype", what).isEqualTo(ref.output.dtype());
    Tolerance tol = tolerance(k, ref.output.dtype());
    ConformanceSupport.assertClose(cand.output.toDoubleArray(), ref.output.toDoubleArray(), tol, what + ": forward");
    for (int i = 0; i < ref.gradients.size(); i++) {
      if (ref.gradients.get(i) != null) {
        ConformanceSupport.assertClose(cand.gradients.get(i).toDoubleArray(), ref.gradients.get(i).toDoubleArray(),
            tolerance(k, dtype), what + ": gradient of input " + i);
      }
    }
  }

  /** Ops that sum products over an axis in an order each backend chooses (matmul, additive scores) take {@link Tolerances#FLOAT32_MATMUL} in float32. */
  private static Tolerance tolerance(Case k, DType dtype) {
    boolean sumsProducts = k.op() == Op.MATMUL || k.op() == Op.ADDITIVE_SCORES;
    return sumsProducts && dtype == DType.FLOAT32 ? Tolerances.FLOAT32_MATMUL : Tolerances.of(dtype);
  }

  private record Result(Tensor output, List<Tensor> gradients) {}

  private static Result run(Backend backend, Case k, DType dtype, List<double[]> values) {
    List<Tensor> inputs = new ArrayList<>();
    List<Tensor> differentiable = new ArrayList<>();
    for (int i = 0; i < values.size(); i++) {
      Input spec = k.inputs().get(i);
      boolean indices = spec.ints() && k.op() != Op.EQUAL;
      Tensor t = Tensors.of(backend, indices ? DType.INT32 : dtype, values.get(i), spec.shape());
      if (!spec.ints() && k.op().isDifferentiable()) {
        t = t.requiringGrad();
        differentiable.add(t);
      }
      inputs.add(t);
    }
    Tensor out = k.f().apply(inputs);
    List<Tensor> grads = new ArrayList<>();
    if (!differentiable.isEmpty() && out.requiresGrad()) {
      Tensor w = Tensors.uniform(backend, out.dtype(), out.shape(), new Rng(11), 0.5, 1.5);
      List<Tensor> g = Gradients.of(out.mul(w).sum(), differentiable);
      int j = 0;
      for (Tensor t : inputs) {
        grads.add(t.requiresGrad() ? g.get(j++) : null);
      }
    }
    return new Result(out, grads);
  }
}
