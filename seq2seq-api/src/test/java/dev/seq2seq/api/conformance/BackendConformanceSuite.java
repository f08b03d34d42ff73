package dev.seq2seq.api.conformance;

import static dev.seq2seq.api.backend.Op.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.seq2seq.api.backend.Op;
import dev.seq2seq.api.module.Parameter;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.GradMode;
import dev.seq2seq.api.tensor.Gradients;
import dev.seq2seq.api.tensor.Shape;
import dev.seq2seq.api.tensor.Tensor;
import dev.seq2seq.api.tensor.TensorScope;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The backend conformance kit: every backend extends this class, supplies {@link #backend()}, and
 * passes every test.
 *
 * <p>For every {@link Op}: forward values on small hand-checkable fixtures in float32 and float64
 * (including broadcasting), float64 central-difference gradient checks for the differentiable ones,
 * and the error cases. {@link #everyOpHasForwardAndGradientTests()} fails when an op has no test.
 * A backend that throws {@link dev.seq2seq.api.backend.UnsupportedOpException} gets an aborted
 * test marked UNSUPPORTED. Tolerances: {@link Tolerances}.
 */
@ExtendWith(UnsupportedOpsAreReported.class)
public abstract class BackendConformanceSuite extends ConformanceSupport {

  // ================================================================ coverage

  @Test
  void everyOpHasForwardAndGradientTests() {
    Set<Op> forward = EnumSet.noneOf(Op.class);
    Set<Op> gradient = EnumSet.noneOf(Op.class);
    for (Class<?> c = getClass(); c != null; c = c.getSuperclass()) {
      for (Method m : c.getDeclaredMethods()) {
        Forward f = m.getAnnotation(Forward.class);
        if (f != null) {
          forward.addAll(List.of(f.value()));
        }
        GradientCheck g = m.getAnnotation(GradientCheck.class);
        if (g != null) {
          gradient.addAll(List.of(g.value()));
        }
      }
    }
    Set<Op> missingForward = EnumSet.complementOf(EnumSet.copyOf(forward));
    Set<Op> differentiable = EnumSet.noneOf(Op.class);
    for (Op op : Op.values()) {
      if (op.isDifferentiable()) {
        differentiable.add(op);
      }
    }
    differentiable.removeAll(gradient);
    assertThat(missingForward).as("ops without a forward test in the conformance kit").isEmpty();
    assertThat(differentiable).as("differentiable ops without a gradient check in the conformance kit").isEmpty();
  }

  @AfterAll
  static void reportUnsupported() {
    synchronized (UnsupportedOpsAreReported.UNSUPPORTED) {
      for (String s : UnsupportedOpsAreReported.UNSUPPORTED) {
        System.out.println("UNSUPPORTED: " + s);
      }
    }
  }

  // ================================================================ elementwise unary

  @Test
  @Forward({NEG, EXP, LOG, SQRT, TANH, SIGMOID, RELU})
  void unaryOpsMatchHandValues() {
    double e = Math.E;
    for (DType dt : FLOATS) {
      assertValues(t(dt, new double[] {1, -2, 0.5}, 3).neg(), dt, new double[] {-1, 2, -0.5}, 3);
      assertValues(t(dt, new double[] {0, 1, -1}, 3).exp(), dt, new double[] {1, e, 1 / e}, 3);
      assertValues(t(dt, new double[] {1, e, 0.5}, 3).log(), dt, new double[] {0, 1, -Math.log(2)}, 3);
      assertValues(t(dt, new double[] {0, 4, 2.25}, 3).sqrt(), dt, new double[] {0, 2, 1.5}, 3);
      double t1 = (e - 1 / e) / (e + 1 / e);
      assertValues(t(dt, new double[] {0, 1, -1}, 3).tanh(), dt, new double[] {0, t1, -t1}, 3);
      assertValues(t(dt, new double[] {0, Math.log(3), -Math.log(3)}, 3).sigmoid(), dt, new double[] {0.5, 0.75, 0.25}, 3);
      assertValues(t(dt, new double[] {-1, 0, 2.5, -0.5}, 2, 2).relu(), dt, new double[] {0, 0, 2.5, 0}, 2, 2);
    }
  }

  @Test
  @Forward({TANH, SIGMOID, EXP})
  void saturatingOpsStayFiniteAtExtremes() {
    for (DType dt : FLOATS) {
      assertValues(t(dt, new double[] {-100, 100}, 2).tanh(), dt, new double[] {-1, 1}, 2);
      assertValues(t(dt, new double[] {-100, 100}, 2).sigmoid(), dt, new double[] {Math.exp(-100), 1}, 2);
      assertValues(t(dt, new double[] {-1000}, 1).exp(), dt, new double[] {0}, 1);
    }
  }

  /**
   * Float32 results below 2^-126 of exp, sigmoid, products and quotients are zero with their sign,
   * as in flush-to-zero arithmetic ({@link dev.seq2seq.api.backend.Backend}'s contract): exact zeros
   * expected, so a backend that returns the subnormal value fails.
   */
  @Test
  @Forward({EXP, SIGMOID, MUL, DIV})
  void float32SubnormalResultsOfExpSigmoidProductsAndQuotientsAreFlushedToSignedZero() {
    DType f = DType.FLOAT32;
    float[] exp = t(f, new double[] {-88, -95, -100, -87}, 4).exp().toFloatArray();
    assertThat(exp[0]).as("exp(-88) = 6e-39 is subnormal in float32").isEqualTo(0f);
    assertThat(exp[1]).as("exp(-95)").isEqualTo(0f);
    assertThat(exp[2]).as("exp(-100)").isEqualTo(0f);
    assertThat((double) exp[3]).as("exp(-87) = 1.6e-38 is normal").isCloseTo(Math.exp(-87), within(1e-43));
    float[] sigmoid = t(f, new double[] {-88, -100, 0}, 3).sigmoid().toFloatArray();
    assertThat(sigmoid).as("sigmoid(-88), sigmoid(-100), sigmoid(0)").containsExactly(0f, 0f, 0.5f);
    Tensor x = t(f, new double[] {1e-20, -1e-20, 3e-20, 2}, 4);
    Tensor y = t(f, new double[] {1e-20, 1e-20, 1e-19, 1e-20}, 4);
    assertThat(x.mul(y).toFloatArray()).as("products of equal shapes: 1e-40, -1e-40, 3e-39 flushed; 2e-20 kept")
        .containsExactly(0f, -0f, 0f, 2e-20f);
    assertThat(x.mul(t(f, new double[] {1e-20}, 1)).toFloatArray()).as("times a broadcast scalar")
        .containsExactly(0f, -0f, 0f, 2e-20f);
    assertThat(x.div(t(f, new double[] {1e20, 1e20, 1e20, 1e20}, 4)).toFloatArray()).as("quotients")
        .containsExactly(0f, -0f, 0f, 2e-20f);
    assertThat(t(f, new double[] {1e-30, -1e-30, 1, 2, 3, 4}, 2, 3).div(t(f, new double[] {1e10, 1e10, 1}, 3)).toFloatArray())
        .as("quotients by a broadcast row").containsExactly(0f, -0f, 1f, 2e-10f, 3e-10f, 4f);
  }

  @Test
  @GradientCheck({NEG, EXP, LOG, SQRT, TANH, SIGMOID, RELU})
  void unaryGradientsMatchFiniteDifferences() {
    DType d = DType.FLOAT64;
    Tensor x = t(d, random(1, -2, 2, 2, 3), 2, 3);
    Tensor positive = t(d, random(2, 0.5, 3, 2, 3), 2, 3);
    checkGradients("neg", in -> in.get(0).neg(), x);
    checkGradients("exp", in -> in.get(0).exp(), x);
    checkGradients("log", in -> in.get(0).log(), positive);
    checkGradients("sqrt", in -> in.get(0).sqrt(), positive);
    checkGradients("tanh", in -> in.get(0).tanh(), x);
    checkGradients("sigmoid", in -> in.get(0).sigmoid(), x);
    checkGradients("relu", in -> in.get(0).relu(), t(d, new double[] {-1.5, -0.3, 0.2, 0.9, 2.0, -2.2}, 2, 3));
  }

  // ================================================================ elementwise binary

  @Test
  @Forward({ADD, SUB, MUL, DIV, MAXIMUM})
  void arithmeticBroadcastsLikeNumpy() {
    for (DType dt : FLOATS) {
      Tensor a = t(dt, new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
      Tensor row = t(dt, new double[] {10, 20, 30}, 3);
      Tensor col = t(dt, new double[] {2, 4}, 2, 1);
      assertValues(a.add(row), dt, new double[] {11, 22, 33, 14, 25, 36}, 2, 3);
      assertValues(a.sub(row), dt, new double[] {-9, -18, -27, -6, -15, -24}, 2, 3);
      assertValues(a.mul(col), dt, new double[] {2, 4, 6, 16, 20, 24}, 2, 3);
      assertValues(a.div(col), dt, new double[] {0.5, 1, 1.5, 1, 1.25, 1.5}, 2, 3);
      assertValues(a.maximum(t(dt, new double[] {2, 5, 0}, 3)), dt, new double[] {2, 5, 3, 4, 5, 6}, 2, 3);
      // outer broadcast [2,1] x [3] -> [2,3], and a scalar
      assertValues(col.mul(t(dt, new double[] {1, 2, 3}, 3)), dt, new double[] {2, 4, 6, 4, 8, 12}, 2, 3);
      assertValues(a.add(3.0), dt, new double[] {4, 5, 6, 7, 8, 9}, 2, 3);
      // rank-3 against rank-2 with size-1 axes on both sides: [2,1,3] (+) [4,1] -> [2,4,3]
      Tensor b = t(dt, range(0, 2, 1, 3), 2, 1, 3);
      Tensor c = t(dt, new double[] {0, 10, 20, 30}, 4, 1);
      double[] expected = new double[24];
      for (int i = 0; i < 2; i++) {
        for (int j = 0; j < 4; j++) {
          for (int k = 0; k < 3; k++) {
            expected[(i * 4 + j) * 3 + k] = (i * 3 + k) + 10 * j;
          }
        }
      }
      assertValues(b.add(c), dt, expected, 2, 4, 3);
    }
  }

  @Test
  @Forward({EQUAL, GREATER, LESS})
  void comparisonsGiveOnesAndZerosInTheInputDtype() {
    for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64, DType.INT32}) {
      Tensor a = t(dt, new double[] {1, 2, 3, 4}, 2, 2);
      Tensor b = t(dt, new double[] {2, 2}, 2);
      assertValues(a.eq(b), dt, new double[] {0, 1, 0, 0}, 2, 2);
      assertValues(a.gt(b), dt, new double[] {0, 0, 1, 1}, 2, 2);
      assertValues(a.lt(b), dt, new double[] {1, 0, 0, 0}, 2, 2);
    }
  }

  @Test
  @Forward({ADD, SUB, MUL, MAXIMUM})
  void int32ArithmeticIsExact() {
    Tensor a = ints(new int[] {1, -2, 300000, 4}, 2, 2);
    Tensor b = ints(new int[] {10, 3}, 2);
    assertThat(a.add(b).toIntArray()).containsExactly(11, 1, 300010, 7);
    assertThat(a.sub(b).toIntArray()).containsExactly(-9, -5, 299990, 1);
    assertThat(a.mul(b).toIntArray()).containsExactly(10, -6, 3000000, 12);
    assertThat(a.maximum(b).toIntArray()).containsExactly(10, 3, 300000, 4);
  }

  @Test
  @GradientCheck({ADD, SUB, MUL, DIV, MAXIMUM})
  void binaryGradientsSumOverBroadcastAxes() {
    DType d = DType.FLOAT64;
    Tensor a = t(d, random(3, -2, 2, 2, 1, 3), 2, 1, 3);
    Tensor b = t(d, random(4, 0.5, 2, 4, 1), 4, 1);
    Tensor same = t(d, random(5, -2, 2, 2, 4, 3), 2, 4, 3);
    checkGradients("add [2,1,3]+[4,1]", in -> in.get(0).add(in.get(1)), a, b);
    checkGradients("sub [2,1,3]-[4,1]", in -> in.get(0).sub(in.get(1)), a, b);
    checkGradients("mul [2,1,3]*[4,1]", in -> in.get(0).mul(in.get(1)), a, b);
    checkGradients("div [2,1,3]/[4,1]", in -> in.get(0).div(in.get(1)), a, b);
    checkGradients("maximum [2,4,3] vs [2,1,3]", in -> in.get(0).maximum(in.get(1)), same, a);
    checkGradients("mul with a scalar tensor", in -> in.get(0).mul(in.get(1)), same, t(d, new double[] {1.7}));
  }

  // ================================================================ reductions

  @Test
  @Forward({SUM, MEAN, MAX})
  void reductionsOverAnyAxes() {
    for (DType dt : FLOATS) {
      Tensor a = t(dt, new double[] {1, 5, 3, 4, 2, 6}, 2, 3);
      assertValues(a.sum(new int[] {0}, false), dt, new double[] {5, 7, 9}, 3);
      assertValues(a.sum(new int[] {1}, true), dt, new double[] {9, 12}, 2, 1);
      assertValues(a.sum(), dt, new double[] {21});
      assertValues(a.mean(new int[] {0}, true), dt, new double[] {2.5, 3.5, 4.5}, 1, 3);
      assertValues(a.mean(new int[] {-1}, false), dt, new double[] {3, 4}, 2);
      assertValues(a.mean(), dt, new double[] {3.5});
      assertValues(a.max(new int[] {0}, false), dt, new double[] {4, 5, 6}, 3);
      assertValues(a.max(new int[] {1}, true), dt, new double[] {5, 6}, 2, 1);
      // middle and non-adjacent axes of a rank-3 tensor
      Tensor b = t(dt, range(0, 2, 3, 2), 2, 3, 2);
      assertValues(b.sum(new int[] {1}, false), dt, new double[] {6, 9, 24, 27}, 2, 2);
      assertValues(b.sum(new int[] {0, 2}, true), dt, new double[] {14, 22, 30}, 1, 3, 1);
      assertValues(b.max(new int[] {0, 1}, false), dt, new double[] {10, 11}, 2);
    }
    Tensor n = ints(new int[] {1, 5, 3, 4, 2, 6}, 2, 3);
    assertThat(n.sum(new int[] {1}, false).toIntArray()).containsExactly(9, 12);
    assertThat(n.max(new int[] {0}, false).toIntArray()).containsExactly(4, 5, 6);
  }

  @Test
  @Forward({SUM, MEAN})
  void float32SumsOfManyValuesStayAccurate() {
    int n = 1 << 20;
    double[] v = new double[n];
    java.util.Arrays.fill(v, 0.1);
    double exact = n * (double) 0.1f;
    Tensor x = t(DType.FLOAT32, v, n);
    assertThat(x.sum().item()).as("float32 sum of 2^20 x 0.1f (exact %s), rel 1e-5", exact)
        .isCloseTo(exact, org.assertj.core.data.Offset.offset(exact * 1e-5));
    assertThat(x.mean().item()).isCloseTo(0.1f, org.assertj.core.data.Offset.offset(1e-6));
  }

  @Test
  @GradientCheck({SUM, MEAN, MAX})
  void reductionGradients() {
    DType d = DType.FLOAT64;
    Tensor x = t(d, random(6, -2, 2, 2, 3, 4), 2, 3, 4);
    checkGradients("sum all", in -> in.get(0).sum(), x);
    checkGradients("sum axis 1", in -> in.get(0).sum(new int[] {1}, false), x);
    checkGradients("sum axes 0,2 keep", in -> in.get(0).sum(new int[] {0, 2}, true), x);
    checkGradients("mean axis -1", in -> in.get(0).mean(new int[] {-1}, false), x);
    checkGradients("mean all", in -> in.get(0).mean(), x);
    checkGradients("max axis 1", in -> in.get(0).max(new int[] {1}, false), x);
    checkGradients("max axes 0,2 keep", in -> in.get(0).max(new int[] {0, 2}, true), x);
  }

  @Test
  void maxGradientIsSharedAmongTies() {
    Tensor x = t(DType.FLOAT64, new double[] {3, 1, 3, 2}, 4).requiringGrad();
    Tensor g = Gradients.of(x.max(new int[] {0}, false), List.of(x)).get(0);
    assertValues(g, DType.FLOAT64, new double[] {0.5, 0, 0.5, 0}, 4);
  }

  // ================================================================ matmul

  @Test
  @Forward(MATMUL)
  void matmulWithTransposesAndBroadcastBatches() {
    for (DType dt : FLOATS) {
      Tensor a = t(dt, new double[] {1, 2, 3, 4}, 2, 2);
      Tensor b = t(dt, new double[] {5, 6, 7, 8}, 2, 2);
      assertValues(a.matmul(b), dt, new double[] {19, 22, 43, 50}, 2, 2);
      assertValues(a.matmul(b, true, false), dt, new double[] {26, 30, 38, 44}, 2, 2);
      assertValues(a.matmul(b, false, true), dt, new double[] {17, 23, 39, 53}, 2, 2);
      assertValues(a.matmul(b, true, true), dt, new double[] {23, 31, 34, 46}, 2, 2);
      // non-square: [2,3] x [3,1]
      assertValues(t(dt, range(1, 2, 3), 2, 3).matmul(t(dt, new double[] {1, 0, -1}, 3, 1)), dt, new double[] {-2, -2}, 2, 1);
      // batched with broadcasting: [2,1,2,2] x [3,2,2] -> [2,3,2,2]
      Tensor batchA = t(dt, new double[] {1, 0, 0, 1, 2, 0, 0, 2}, 2, 1, 2, 2); // I and 2I
      double[] bv = range(1, 3, 2, 2);
      Tensor batchB = t(dt, bv, 3, 2, 2);
      double[] expected = new double[24];
      for (int i = 0; i < 2; i++) {
        for (int j = 0; j < 12; j++) {
          expected[i * 12 + j] = (i + 1) * bv[j];
        }
      }
      assertValues(batchA.matmul(batchB), dt, expected, 2, 3, 2, 2);
    }
  }

  @Test
  @GradientCheck(MATMUL)
  void matmulGradientsForEveryTransposeAndBatchBroadcast() {
    DType d = DType.FLOAT64;
    Tensor a = t(d, random(7, -1, 1, 3, 4), 3, 4);
    Tensor b = t(d, random(8, -1, 1, 4, 2), 4, 2);
    checkGradients("A B", in -> in.get(0).matmul(in.get(1)), a, b);
    checkGradients("A^T B", in -> in.get(0).matmul(in.get(1), true, false), t(d, random(9, -1, 1, 4, 3), 4, 3), b);
    checkGradients("A B^T", in -> in.get(0).matmul(in.get(1), false, true), a, t(d, random(10, -1, 1, 2, 4), 2, 4));
    checkGradients("A^T B^T", in -> in.get(0).matmul(in.get(1), true, true),
        t(d, random(11, -1, 1, 4, 3), 4, 3), t(d, random(12, -1, 1, 2, 4), 2, 4));
    checkGradients("[2,1,3,4] x [5,4,2]", in -> in.get(0).matmul(in.get(1)),
        t(d, random(13, -1, 1, 2, 1, 3, 4), 2, 1, 3, 4), t(d, random(14, -1, 1, 5, 4, 2), 5, 4, 2));
    checkGradients("[2,3,4] x [4,2] (weights shared over the batch)", in -> in.get(0).matmul(in.get(1)),
        t(d, random(15, -1, 1, 2, 3, 4), 2, 3, 4), b);
    checkGradients("[2,3,4] x [2,4]^T (transposed weights shared over the batch)", in -> in.get(0).matmul(in.get(1), false, true),
        t(d, random(16, -1, 1, 2, 3, 4), 2, 3, 4), t(d, random(17, -1, 1, 2, 4), 2, 4));
  }

  // ================================================================ softmax

  @Test
  @Forward({SOFTMAX, LOG_SOFTMAX})
  void softmaxAlongAnyAxisIsStable() {
    double l2 = Math.log(2);
    double l3 = Math.log(3);
    for (DType dt : FLOATS) {
      double[] p = {1 / 6.0, 2 / 6.0, 3 / 6.0, 1 / 6.0, 2 / 6.0, 3 / 6.0};
      double[] lp = new double[6];
      for (int i = 0; i < 6; i++) {
        lp[i] = Math.log(p[i]);
      }
      assertValues(t(dt, new double[] {0, l2, l3, 0, l2, l3}, 2, 3).softmax(-1), dt, p, 2, 3);
      // a large offset must not overflow; float32 rounds 1000 + ln 2 to a neighbour, so the expected
      // values are the exact softmax of the rounded inputs
      double[] big = t(dt, new double[] {1000, 1000 + l2, 1000 + l3}, 3).toDoubleArray();
      double[] expBig = new double[3];
      double denominator = 0;
      for (int i = 0; i < 3; i++) {
        expBig[i] = Math.exp(big[i] - big[2]);
        denominator += expBig[i];
      }
      for (int i = 0; i < 3; i++) {
        expBig[i] /= denominator;
      }
      assertValues(t(dt, big, 3).softmax(0), dt, expBig, 3);
      Tensor y = t(dt, new double[] {0, l2, l3, -1000, -1000 + l2, -1000 + l3}, 2, 3);
      // float32 rounds -1000 + ln 2 to a neighbour 3e-5 away: expect the exact log-softmax of the rounded inputs
      double[] yr = y.toDoubleArray();
      for (int i = 3; i < 6; i++) {
        double norm = Math.log(Math.exp(yr[3] - yr[5]) + Math.exp(yr[4] - yr[5]) + 1) + yr[5];
        lp[i] = yr[i] - norm;
      }
      assertValues(y.logSoftmax(1), dt, lp, 2, 3);
      // along axis 0 of the transpose
      Tensor col = t(dt, new double[] {0, 0, l2, l2, l3, l3}, 3, 2);
      assertValues(col.softmax(0), dt, new double[] {1 / 6.0, 1 / 6.0, 2 / 6.0, 2 / 6.0, 0.5, 0.5}, 3, 2);
      assertValues(col.logSoftmax(0), dt, new double[] {lp[0], lp[0], lp[1], lp[1], lp[2], lp[2]}, 3, 2);
    }
  }

  @Test
  @GradientCheck({SOFTMAX, LOG_SOFTMAX})
  void softmaxGradients() {
    Tensor x = t(DType.FLOAT64, random(16, -2, 2, 2, 3, 4), 2, 3, 4);
    checkGradients("softmax axis -1", in -> in.get(0).softmax(-1), x);
    checkGradients("softmax axis 1", in -> in.get(0).softmax(1), x);
    checkGradients("log_softmax axis -1", in -> in.get(0).logSoftmax(-1), x);
    checkGradients("log_softmax axis 0", in -> in.get(0).logSoftmax(0), x);
  }

  // ================================================================ gru cell

  @Test
  @Forward(GRU_CELL)
  void gruCellComputesTheNewHiddenState() {
    int h = 3;
    double[] gi = random(41, -2, 2, 2, 3 * h);
    double[] gh = random(42, -2, 2, 2, 3 * h);
    double[] hidden = random(43, -1, 1, 2, h);
    double[] expected = new double[2 * h];
    for (int b = 0; b < 2; b++) {
      for (int j = 0; j < h; j++) {
        int g = b * 3 * h + j;
        double r = 1 / (1 + Math.exp(-(gi[g] + gh[g])));
        double z = 1 / (1 + Math.exp(-(gi[g + h] + gh[g + h])));
        double n = Math.tanh(gi[g + 2 * h] + r * gh[g + 2 * h]);
        expected[b * h + j] = n + z * (hidden[b * h + j] - n);
      }
    }
    for (DType dt : FLOATS) {
      assertValues(Tensor.gruCell(t(dt, gi, 2, 3 * h), t(dt, gh, 2, 3 * h), t(dt, hidden, 2, h)), dt, expected, 2, h);
    }
    assertThatThrownBy(() -> Tensor.gruCell(t(DType.FLOAT32, gi, 2, 3 * h), t(DType.FLOAT32, gi, 3 * h, 2), t(DType.FLOAT32, hidden, 2, h)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[batch, 3H], [batch, 3H] and [batch, H]");
  }

  @Test
  @GradientCheck(GRU_CELL)
  void gruCellGradients() {
    Tensor gi = t(DType.FLOAT64, random(44, -2, 2, 3, 6), 3, 6);
    Tensor gh = t(DType.FLOAT64, random(45, -2, 2, 3, 6), 3, 6);
    Tensor hidden = t(DType.FLOAT64, random(46, -1, 1, 3, 2), 3, 2);
    checkGradients("gru_cell, H = 2", in -> Tensor.gruCell(in.get(0), in.get(1), in.get(2)), gi, gh, hidden);
  }

  @Test
  @Forward(GRU_CELL)
  void gruCellOfProductsAndBiasesIsTheCellOfTheirSums() {
    int h = 3;
    for (DType dt : FLOATS) {
      Tensor x = t(dt, random(47, -2, 2, 2, 3 * h), 2, 3 * h);
      Tensor bi = t(dt, random(48, -1, 1, 3 * h), 3 * h);
      Tensor y = t(dt, random(49, -2, 2, 2, 3 * h), 2, 3 * h);
      Tensor bh = t(dt, random(50, -1, 1, 3 * h), 3 * h);
      Tensor hidden = t(dt, random(51, -1, 1, 2, h), 2, h);
      double[] expected = Tensor.gruCell(x.add(bi), y.add(bh), hidden).toDoubleArray();
      assertThat(Tensor.gruCell(x, bi, y, bh, hidden).toDoubleArray())
          .as("%s: gru_cell(x, b_i, y, b_h, h) = gru_cell(x + b_i, y + b_h, h), bit for bit", dt.label()).containsExactly(expected);
    }
    Tensor g = t(DType.FLOAT32, random(47, -2, 2, 2, 3 * h), 2, 3 * h);
    Tensor wrongBias = t(DType.FLOAT32, random(48, -1, 1, h), h);
    assertThatThrownBy(() -> Tensor.gruCell(g, wrongBias, g, wrongBias, t(DType.FLOAT32, random(51, -1, 1, 2, h), 2, h)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[batch, 3H], [batch, 3H], [3H], [3H] and [batch, H]");
  }

  @Test
  @GradientCheck(GRU_CELL)
  void gruCellOfProductsAndBiasesGradients() {
    Tensor x = t(DType.FLOAT64, random(52, -2, 2, 3, 6), 3, 6);
    Tensor bi = t(DType.FLOAT64, random(53, -1, 1, 6), 6);
    Tensor y = t(DType.FLOAT64, random(54, -2, 2, 3, 6), 3, 6);
    Tensor bh = t(DType.FLOAT64, random(55, -1, 1, 6), 6);
    Tensor hidden = t(DType.FLOAT64, random(56, -1, 1, 3, 2), 3, 2);
    checkGradients("gru_cell(x, b_i, y, b_h, h), H = 2", in -> Tensor.gruCell(in.get(0), in.get(1), in.get(2), in.get(3), in.get(4)),
        x, bi, y, bh, hidden);
  }

  // ================================================================ additive attention scores

  @Test
  @Forward(ADDITIVE_SCORES)
  void additiveScoresSumTheWeightedTanhOfQueryPlusKey() {
    int batch = 2;
    int queries = 2;
    int keys = 3;
    int units = 5;
    double[] q = random(51, -2, 2, batch, queries, units);
    double[] k = random(52, -2, 2, batch, keys, units);
    double[] w = random(53, -1, 1, units);
    double[] expected = new double[batch * queries * keys];
    for (int b = 0; b < batch; b++) {
      for (int i = 0; i < queries; i++) {
        for (int s = 0; s < keys; s++) {
          double score = 0;
          for (int a = 0; a < units; a++) {
            score += w[a] * Math.tanh(q[(b * queries + i) * units + a] + k[(b * keys + s) * units + a]);
          }
          expected[(b * queries + i) * keys + s] = score;
        }
      }
    }
    for (DType dt : FLOATS) {
      Tensor scores = Tensor.additiveScores(t(dt, q, batch, queries, units), t(dt, k, batch, keys, units), t(dt, w, units));
      assertValues(scores, dt, expected, batch, queries, keys);
    }
    assertThatThrownBy(() -> Tensor.additiveScores(t(DType.FLOAT32, q, batch, queries, units), t(DType.FLOAT32, k, batch, keys, units),
        t(DType.FLOAT32, q, units, 4)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[batch, queries, units], [batch, keys, units] and [units]");
  }

  @Test
  @GradientCheck(ADDITIVE_SCORES)
  void additiveScoresGradients() {
    Tensor q = t(DType.FLOAT64, random(54, -2, 2, 2, 3, 4), 2, 3, 4);
    Tensor k = t(DType.FLOAT64, random(55, -2, 2, 2, 5, 4), 2, 5, 4);
    Tensor w = t(DType.FLOAT64, random(56, -1, 1, 4), 4);
    checkGradients("additive_scores, 3 queries, 5 keys, 4 units", in -> Tensor.additiveScores(in.get(0), in.get(1), in.get(2)), q, k, w);
  }

  // ================================================================ lstm cell

  @Test
  @Forward(LSTM_CELL)
  void lstmCellComputesHiddenAndCellState() {
    int h = 3;
    double[] gates = random(31, -2, 2, 2, 4 * h);
    double[] cell = random(32, -1, 1, 2, h);
    double[] expected = new double[2 * 2 * h];
    for (int b = 0; b < 2; b++) {
      for (int j = 0; j < h; j++) {
        double i = 1 / (1 + Math.exp(-gates[b * 4 * h + j]));
        double f = 1 / (1 + Math.exp(-gates[b * 4 * h + h + j]));
        double g = Math.tanh(gates[b * 4 * h + 2 * h + j]);
        double o = 1 / (1 + Math.exp(-gates[b * 4 * h + 3 * h + j]));
        double c = f * cell[b * h + j] + i * g;
        expected[b * 2 * h + j] = o * Math.tanh(c);
        expected[b * 2 * h + h + j] = c;
      }
    }
    for (DType dt : FLOATS) {
      assertValues(Tensor.lstmCell(t(dt, gates, 2, 4 * h), t(dt, cell, 2, h)), dt, expected, 2, 2 * h);
    }
    assertThatThrownBy(() -> Tensor.lstmCell(t(DType.FLOAT32, gates, 2, 4 * h), t(DType.FLOAT32, cell, 3, 2)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[batch, 4H] and [batch, H]");
  }

  @Test
  @GradientCheck(LSTM_CELL)
  void lstmCellGradients() {
    Tensor gates = t(DType.FLOAT64, random(33, -2, 2, 3, 8), 3, 8);
    Tensor cell = t(DType.FLOAT64, random(34, -1, 1, 3, 2), 3, 2);
    checkGradients("lstm_cell, H = 2", in -> Tensor.lstmCell(in.get(0), in.get(1)), gates, cell);
  }

  @Test
  @Forward(LSTM_CELL)
  void lstmCellOfTwoProjectionsAndABiasIsTheCellOfTheirSum() {
    int h = 3;
    for (DType dt : FLOATS) {
      Tensor x = t(dt, random(35, -2, 2, 2, 4 * h), 2, 4 * h);
      Tensor hp = t(dt, random(36, -2, 2, 2, 4 * h), 2, 4 * h);
      Tensor bias = t(dt, random(37, -1, 1, 4 * h), 4 * h);
      Tensor cell = t(dt, random(38, -1, 1, 2, h), 2, h);
      double[] expected = Tensor.lstmCell(x.add(hp).add(bias), cell).toDoubleArray();
      assertThat(Tensor.lstmCell(x, hp, bias, cell).toDoubleArray())
          .as("%s: lstm_cell(x, h, b, c) = lstm_cell((x + h) + b, c), bit for bit", dt.label()).containsExactly(expected);
    }
    Tensor g = t(DType.FLOAT32, random(35, -2, 2, 2, 4 * h), 2, 4 * h);
    assertThatThrownBy(() -> Tensor.lstmCell(g, g, t(DType.FLOAT32, random(37, -1, 1, 3), 3), t(DType.FLOAT32, random(38, -1, 1, 2, h), 2, h)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[batch, 4H], [batch, 4H], [4H] and [batch, H]");
  }

  @Test
  @GradientCheck(LSTM_CELL)
  void lstmCellOfTwoProjectionsAndABiasGradients() {
    Tensor x = t(DType.FLOAT64, random(39, -2, 2, 3, 8), 3, 8);
    Tensor hp = t(DType.FLOAT64, random(40, -2, 2, 3, 8), 3, 8);
    Tensor bias = t(DType.FLOAT64, random(41, -1, 1, 8), 8);
    Tensor cell = t(DType.FLOAT64, random(42, -1, 1, 3, 2), 3, 2);
    checkGradients("lstm_cell(x, h, b, c), H = 2", in -> Tensor.lstmCell(in.get(0), in.get(1), in.get(2), in.get(3)), x, hp, bias, cell);
  }

  // ================================================================ layer norm

  @Test
  @Forward(LAYER_NORM)
  void layerNormNormalisesTheLastAxisThenScalesAndShifts() {
    // rows {1,2,3,4} and {10,10,10,14}: mean 2.5 / 11, biased variance 1.25 / 3
    double[] x = {1, 2, 3, 4, 10, 10, 10, 14};
    double[] w = {1, 2, 0.5, -1};
    double[] b = {0, 1, -1, 2};
    double[] expected = new double[8];
    for (int r = 0; r < 2; r++) {
      double mean = r == 0 ? 2.5 : 11;
      double std = Math.sqrt((r == 0 ? 1.25 : 3) + 1e-5);
      for (int j = 0; j < 4; j++) {
        expected[r * 4 + j] = (x[r * 4 + j] - mean) / std * w[j] + b[j];
      }
    }
    for (DType dt : FLOATS) {
      assertValues(t(dt, x, 2, 4).layerNorm(t(dt, w, 4), t(dt, b, 4), 1e-5), dt, expected, 2, 4);
    }
    assertThatThrownBy(() -> t(DType.FLOAT32, x, 2, 4).layerNorm(t(DType.FLOAT32, w, 4), t(DType.FLOAT32, b, 2, 2), 1e-5))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must both be [4]");
  }

  @Test
  @GradientCheck(LAYER_NORM)
  void layerNormGradients() {
    Tensor x = t(DType.FLOAT64, random(21, -2, 2, 2, 3, 5), 2, 3, 5);
    Tensor w = t(DType.FLOAT64, random(22, 0.5, 1.5, 5), 5);
    Tensor b = t(DType.FLOAT64, random(23, -1, 1, 5), 5);
    checkGradients("layer_norm over [2,3,5]", in -> in.get(0).layerNorm(in.get(1), in.get(2), 1e-5), x, w, b);
  }

  // ================================================================ layout

  @Test
  @Forward({RESHAPE, PERMUTE})
  void reshapeKeepsOrderAndPermuteMovesAxes() {
    for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64, DType.INT32}) {
      Tensor a = t(dt, range(0, 2, 3, 4), 2, 3, 4);
      assertValues(a.reshape(4, -1), dt, range(0, 4, 6), 4, 6);
      Tensor p = a.permute(2, 0, 1); // out[k][i][j] = a[i][j][k]
      double[] expected = new double[24];
      for (int i = 0; i < 2; i++) {
        for (int j = 0; j < 3; j++) {
          for (int k = 0; k < 4; k++) {
            expected[(k * 2 + i) * 3 + j] = (i * 3 + j) * 4 + k;
          }
        }
      }
      assertValues(p, dt, expected, 4, 2, 3);
      assertValues(t(dt, range(1, 2, 3), 2, 3).transpose(), dt, new double[] {1, 4, 2, 5, 3, 6}, 3, 2);
    }
  }

  @Test
  @Forward({CONCAT, SLICE, PAD})
  void concatSliceAndPad() {
    for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64, DType.INT32}) {
      Tensor a = t(dt, new double[] {1, 2, 3, 4}, 2, 2);
      Tensor b = t(dt, new double[] {5, 6}, 1, 2);
      Tensor c = t(dt, new double[] {7, 8}, 2, 1);
      assertValues(Tensor.concat(List.of(a, b), 0), dt, new double[] {1, 2, 3, 4, 5, 6}, 3, 2);
      assertValues(Tensor.concat(List.of(a, c, a), 1), dt, new double[] {1, 2, 7, 1, 2, 3, 4, 8, 3, 4}, 2, 5);
      Tensor m = t(dt, range(0, 3, 4), 3, 4);
      assertValues(m.slice(new int[] {1, 1}, new int[] {2, 2}), dt, new double[] {5, 6, 9, 10}, 2, 2);
      assertValues(m.sliceAxis(1, 3, 1), dt, new double[] {3, 7, 11}, 3, 1);
      assertValues(t(dt, new double[] {1, 2}, 1, 2).pad(new int[] {1, 0}, new int[] {0, 1}), dt,
          new double[] {0, 0, 0, 1, 2, 0}, 2, 3);
    }
  }

  @Test
  @GradientCheck({RESHAPE, PERMUTE, CONCAT, SLICE, PAD})
  void layoutGradients() {
    DType d = DType.FLOAT64;
    Tensor x = t(d, random(17, -1, 1, 2, 3, 4), 2, 3, 4);
    Tensor y = t(d, random(18, -1, 1, 2, 2, 4), 2, 2, 4);
    checkGradients("reshape", in -> in.get(0).reshape(6, 4), x);
    checkGradients("permute (2,0,1)", in -> in.get(0).permute(2, 0, 1), x);
    checkGradients("concat axis 1", in -> Tensor.concat(List.of(in.get(0), in.get(1), in.get(0)), 1), x, y);
    checkGradients("slice", in -> in.get(0).slice(new int[] {1, 1, 0}, new int[] {1, 2, 3}), x);
    checkGradients("pad", in -> in.get(0).pad(new int[] {0, 1, 2}, new int[] {1, 0, 1}), x);
  }

  // ================================================================ indexing

  @Test
  @Forward({GATHER, SCATTER_ADD})
  void gatherPicksAndScatterAddAccumulates() {
    Tensor idx = ints(new int[] {2, 0, 2}, 3);
    for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64, DType.INT32}) {
      Tensor table = t(dt, new double[] {1, 2, 3, 4, 5, 6}, 3, 2);
      assertValues(table.gather(idx, 0), dt, new double[] {5, 6, 1, 2, 5, 6}, 3, 2);
      assertValues(table.gather(ints(new int[] {1, 1, 0, 1}, 2, 2), 1), dt,
          new double[] {2, 2, 1, 2, 4, 4, 3, 4, 6, 6, 5, 6}, 3, 2, 2);
      assertValues(table.gather(ints(new int[] {1, 0}, 2, 1), 0), dt, new double[] {3, 4, 1, 2}, 2, 1, 2);
      Tensor updates = t(dt, new double[] {1, 1, 2, 2, 3, 3}, 3, 2);
      assertValues(Tensor.scatterAdd(idx, updates, 0, Shape.of(3, 2)), dt, new double[] {2, 2, 0, 0, 4, 4}, 3, 2);
      assertValues(Tensor.scatterAdd(ints(new int[] {0, 0}, 2), t(dt, new double[] {1, 2, 3, 4}, 2, 2), 1, Shape.of(2, 3)),
          dt, new double[] {3, 0, 0, 7, 0, 0}, 2, 3);
    }
  }

  @Test
  @Forward(WHERE)
  void whereSelectsWithBroadcasting() {
    for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64, DType.INT32}) {
      Tensor cond = t(DType.FLOAT32, new double[] {1, 0, 1}, 3);
      assertValues(Tensor.where(cond, t(dt, new double[] {1, 2, 3}, 3), t(dt, new double[] {10, 20, 30}, 3)), dt,
          new double[] {1, 20, 3}, 3);
      Tensor rows = ints(new int[] {0, 5}, 2, 1);
      assertValues(Tensor.where(rows, t(dt, new double[] {1, 2}, 2), t(dt, new double[] {7}, 1)), dt,
          new double[] {7, 7, 1, 2}, 2, 2);
    }
  }

  @Test
  @Forward(CAST)
  void castConvertsAndTruncatesTowardZero() {
    Tensor f = t(DType.FLOAT32, new double[] {1.7, -1.7, 2, -0.2}, 4);
    assertThat(f.cast(DType.INT32).toIntArray()).containsExactly(1, -1, 2, 0);
    assertValues(f.cast(DType.FLOAT64), DType.FLOAT64, new double[] {1.7f, -1.7f, 2, -0.2f}, 4);
    assertValues(ints(new int[] {3, -4}, 2).cast(DType.FLOAT64), DType.FLOAT64, new double[] {3, -4}, 2);
    assertValues(t(DType.FLOAT64, new double[] {0.1}, 1).cast(DType.FLOAT32), DType.FLOAT32, new double[] {0.1f}, 1);
  }

  @Test
  @GradientCheck({GATHER, SCATTER_ADD, WHERE})
  void indexingGradients() {
    DType d = DType.FLOAT64;
    Tensor table = t(d, random(19, -1, 1, 4, 3), 4, 3);
    Tensor idx = ints(new int[] {3, 0, 3, 1, 3}, 5);
    checkGradients("gather axis 0 with repeated ids", in -> in.get(0).gather(idx, 0), table);
    checkGradients("gather axis 1", in -> in.get(0).gather(ints(new int[] {2, 2, 0}, 3), 1), table);
    checkGradients("scatter_add", in -> Tensor.scatterAdd(idx, in.get(0), 0, Shape.of(4, 3)), t(d, random(20, -1, 1, 5, 3), 5, 3));
    Tensor cond = t(d, new double[] {1, 0, 0, 1, 1, 0}, 2, 3);
    checkGradients("where with broadcast b", in -> Tensor.where(cond, in.get(0), in.get(1)),
        t(d, random(21, -1, 1, 2, 3), 2, 3), t(d, random(22, -1, 1, 3), 3));
  }

  @Test
  @GradientCheck(CAST)
  void castGradientFlowsBetweenFloatTypes() {
    // The cast rounds to float32, so finite differences use inputs and steps that float32 represents
    // exactly; the function is linear, so the check is exact up to float32 rounding of the weights.
    Tensor x = t(DType.FLOAT64, new double[] {0.5, -1.25, 2, 3.75}, 4).requiringGrad();
    Tensor w = t(DType.FLOAT64, new double[] {1.5, -2, 0.25, 4}, 4);
    Tensor loss = x.cast(DType.FLOAT32).cast(DType.FLOAT64).mul(w).sum();
    assertValues(Gradients.of(loss, List.of(x)).get(0), DType.FLOAT64, new double[] {1.5, -2, 0.25, 4}, 4);
  }

  @Test
  @Forward({ARGMAX, TOP_K})
  void argmaxAndTopKPreferTheLowerIndexOnTies() {
    for (DType dt : FLOATS) {
      Tensor x = t(dt, new double[] {1, 3, 3, 5, 0, 2}, 2, 3);
      assertThat(x.argmax(1).toIntArray()).containsExactly(1, 0);
      assertThat(x.argmax(0).toIntArray()).containsExactly(1, 0, 0);
      assertThat(x.argmax(1).dtype()).isEqualTo(DType.INT32);
      Tensor[] top = t(dt, new double[] {1, 3, 2, 3, -1, 0, 4, 4}, 2, 4).topK(2);
      assertValues(top[0], dt, new double[] {3, 3, 4, 4}, 2, 2);
      assertThat(top[1].toIntArray()).containsExactly(1, 3, 2, 3);
      assertThat(top[1].dtype()).isEqualTo(DType.INT32);
    }
  }

  // ================================================================ autodiff mechanics

  @Test
  void gradientsAccumulateOverFanOutAndStopAtDetach() {
    Tensor x = t(DType.FLOAT64, new double[] {1, -2, 3}, 3).requiringGrad();
    // y = x*x + 3x + detach(x)*x: dy/dx = 2x + 3 + x (the detached factor is a constant)
    Tensor y = x.mul(x).add(x.mul(3.0)).add(x.detach().mul(x)).sum();
    assertValues(Gradients.of(y, List.of(x)).get(0), DType.FLOAT64, new double[] {6, -3, 12}, 3);
  }

  @Test
  void noGradModeRecordsNothingAndUnusedInputsGetZeros() {
    Tensor x = t(DType.FLOAT64, new double[] {1, 2}, 2).requiringGrad();
    Tensor unused = t(DType.FLOAT64, new double[] {5, 6, 7}, 3).requiringGrad();
    try (GradMode.Scope ignored = GradMode.disabled()) {
      assertThat(x.mul(x).requiresGrad()).isFalse();
    }
    assertThat(x.mul(x).requiresGrad()).isTrue();
    List<Tensor> g = Gradients.of(x.sum(), List.of(x, unused));
    assertValues(g.get(0), DType.FLOAT64, new double[] {1, 1}, 2);
    assertValues(g.get(1), DType.FLOAT64, new double[] {0, 0, 0}, 3);
  }

  @Test
  void aDeepChainDoesNotOverflowTheStack() {
    Tensor x = t(DType.FLOAT64, new double[] {1}, 1).requiringGrad();
    Tensor y = x;
    for (int i = 0; i < 20_000; i++) {
      y = y.add(1.0);
    }
    assertValues(Gradients.of(y.sum(), List.of(x)).get(0), DType.FLOAT64, new double[] {1}, 1);
  }

  // ================================================================ ownership

  @Test
  void aScopeReleasesWhatItCreatedAndKeepsWhatItIsTold() {
    Tensor outside = t(DType.FLOAT32, new double[] {1, 2}, 2);
    Tensor kept;
    Tensor released;
    try (TensorScope outer = TensorScope.open()) {
      try (TensorScope inner = TensorScope.open()) {
        released = outside.mul(outside);
        kept = inner.keep(outside.add(outside));
        assertThat(inner.ownedCount()).isEqualTo(1);
      }
      assertThatThrownBy(released::toFloatArray).as("a released tensor must refuse reads").isInstanceOf(IllegalStateException.class);
      assertThat(kept.toFloatArray()).containsExactly(2f, 4f);
      assertThat(outer.ownedCount()).as("keep() hands the tensor to the enclosing scope").isEqualTo(1);
    }
    assertThatThrownBy(kept::toFloatArray).isInstanceOf(IllegalStateException.class);
    assertThat(outside.toFloatArray()).as("tensors from before the scope are untouched").containsExactly(1f, 2f);
  }

  @Test
  void parametersOutliveScopesAndTheirReplacedValuesAreReleased() {
    Parameter p = new Parameter(t(DType.FLOAT32, new double[] {1, 2}, 2));
    Tensor first = p.value();
    try (TensorScope scope = TensorScope.open()) {
      Tensor g = Gradients.of(p.value().square().sum(), List.of(p.value())).get(0);
      try (GradMode.Scope ignored = GradMode.disabled()) {
        p.set(p.value().sub(g.mul(0.25)));
      }
    }
    assertThat(p.value().toFloatArray()).containsExactly(0.5f, 1f);
    assertThatThrownBy(first::toFloatArray).as("the replaced value was released with the scope")
        .isInstanceOf(IllegalStateException.class);
  }

  // ================================================================ errors

  @Test
  void errorsNameTheOpAndTheShapes() {
    DType d = DType.FLOAT32;
    Tensor a = t(d, new double[64 * 256], 64, 256);
    Tensor b = t(d, new double[128 * 4], 128, 4);
    assertThatThrownBy(() -> a.matmul(b)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("matmul").hasMessageContaining("[64, 256]").hasMessageContaining("[128, 4]")
        .hasMessageContaining("inner dimensions differ");
    assertThatThrownBy(() -> t(d, new double[6], 2, 3).add(t(d, new double[4], 4)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("add").hasMessageContaining("[2, 3]")
        .hasMessageContaining("[4]").hasMessageContaining("broadcast");
    assertThatThrownBy(() -> t(d, new double[6], 2, 3).reshape(4, 2)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("reshape").hasMessageContaining("[2, 3]").hasMessageContaining("[4, 2]");
    assertThatThrownBy(() -> t(d, new double[6], 2, 3).slice(new int[] {1, 0}, new int[] {2, 3}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("slice").hasMessageContaining("[2, 3]");
    assertThatThrownBy(() -> Tensor.concat(List.of(t(d, new double[6], 2, 3), t(d, new double[4], 2, 2)), 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("concat").hasMessageContaining("[2, 2]");
    assertThatThrownBy(() -> t(d, new double[2], 2).add(t(DType.FLOAT64, new double[2], 2)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dtypes differ");
    assertThatThrownBy(() -> t(d, new double[6], 2, 3).softmax(2))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("axis 2 out of range");
    assertThatThrownBy(() -> ints(new int[] {1}, 1).log())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("log").hasMessageContaining("int32");
  }

  @Test
  void outOfRangeIndicesAreRejected() {
    Tensor table = t(DType.FLOAT32, new double[6], 3, 2);
    assertThatThrownBy(() -> table.gather(ints(new int[] {0, 3}, 2), 0).toFloatArray())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("gather").hasMessageContaining("3");
    assertThatThrownBy(() -> table.gather(ints(new int[] {-1}, 1), 0).toFloatArray())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("gather").hasMessageContaining("-1");
    assertThatThrownBy(() -> Tensor.scatterAdd(ints(new int[] {5}, 1), t(DType.FLOAT32, new double[2], 1, 2), 0, Shape.of(3, 2))
        .toFloatArray()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("scatter").hasMessageContaining("5");
  }

  // ================================================================ a small composition

  @Test
  void aTwoLayerNetworkGradientMatchesFiniteDifferences() {
    DType d = DType.FLOAT64;
    Tensor x = t(d, random(23, -1, 1, 4, 3), 4, 3);
    Tensor targets = ints(new int[] {0, 2, 1, 1}, 4);
    List<Tensor> inputs = new ArrayList<>();
    inputs.add(t(d, random(24, -1, 1, 3, 5), 3, 5));
    inputs.add(t(d, random(25, -0.1, 0.1, 5), 5));
    inputs.add(t(d, random(26, -1, 1, 5, 3), 5, 3));
    checkGradients("mlp cross-entropy", in -> {
      Tensor h = x.matmul(in.get(0)).add(in.get(1)).tanh();
      Tensor logp = h.matmul(in.get(2)).logSoftmax(-1);
      Tensor picked = logp.gather(targets.unsqueeze(1), 1); // [4, 4, 1]: rows x targets
      return picked.neg().mean();
    }, inputs.toArray(new Tensor[0]));
  }
}
