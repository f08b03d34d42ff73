package dev.seq2seq.backend.ejml.floatmath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Arrays;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Every available {@link FloatMath} (scalar always, vector when {@code jdk.incubator.vector} is
 * present) against the double-precision functions rounded once to float: within
 * {@link FloatMath#MAX_ULPS} ulps on a dense grid, on random values of every magnitude and on odd
 * lengths (the vector tail), with the limits and NaN exact.
 */
class FloatMathTest {
  /** A grid over [-40, 40] in steps of 1/64, random values of magnitude 1e-30..1e2, then the special values. */
  private static float[] inputs() {
    List<Float> xs = new ArrayList<>();
    for (int i = -40 * 64; i <= 40 * 64; i++) {
      xs.add(i / 64f);
    }
    Random r = new Random(3);
    for (int i = 0; i < 20_000; i++) {
      xs.add((float) ((r.nextBoolean() ? 1 : -1) * Math.pow(10, -30 + 32 * r.nextDouble())));
    }
    for (float special : new float[] {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, 1e-8f, -1e-8f, 88f, 89f, -87f, -87.33f, -87.34f,
        -87.35f, -88f, -95f, -104f, -200f,
        Float.MAX_VALUE, -Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN}) {
      xs.add(special);
    }
    xs.add(0.5f); // an odd length: the vector loop leaves a tail
    float[] out = new float[xs.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = xs.get(i);
    }
    return out;
  }

  private interface Kernel {
    void apply(FloatMath math, float[] in, float[] out, int n);
  }

  /** {@code flushed}: the expected value is flushed to zero where subnormal, as exp and sigmoid flush theirs. */
  private static void check(String name, Kernel kernel, DoubleUnaryOperator exact, boolean flushed) {
    float[] in = inputs();
    for (FloatMath math : FloatMaths.available()) {
      float[] out = new float[in.length];
      for (int warm = 0; warm < 400; warm++) {
        kernel.apply(math, in, out, in.length); // until the JIT compiles it: the interpreter computes lanes with Math
      }
      double worst = 0;
      for (int i = 0; i < in.length; i++) {
        float rounded = (float) exact.applyAsDouble(in[i]);
        float expected = flushed ? FloatMath.flushSubnormal(rounded) : rounded;
        String what = String.format("%s %s(%s) = %s, expected %s", math.name(), name, in[i], out[i], expected);
        if (Float.isNaN(expected) || Float.isInfinite(expected) || expected == 0 || Math.abs(expected) == 1) {
          if (Float.isNaN(expected)) {
            assertThat(Float.isNaN(out[i])).as(what).isTrue();
          } else if (Float.isInfinite(expected)) {
            assertThat(out[i]).as(what).isEqualTo(expected);
          } else {
            // limits and exact values: allowed MAX_ULPS of the value's own ulp (0 stays 0 within a denormal step)
            assertThat((double) Math.abs(out[i] - expected)).as(what).isLessThanOrEqualTo(FloatMath.MAX_ULPS * (double) Math.ulp(expected));
          }
          continue;
        }
        double ulps = Math.abs((double) out[i] - expected) / Math.ulp(expected);
        worst = Math.max(worst, ulps);
        assertThat(ulps).as("%s: %.2f ulps (at most %d)", what, ulps, FloatMath.MAX_ULPS).isLessThanOrEqualTo(FloatMath.MAX_ULPS);
      }
      System.out.printf("%s %s: worst %.2f ulps over %d inputs%n", math.name(), name, worst, in.length);
    }
  }

  @Test
  void expIsWithinMaxUlpsOfTheRoundedDoubleResult() {
    check("exp", FloatMath::exp, Math::exp, true);
  }

  @Test
  void tanhIsWithinMaxUlpsOfTheRoundedDoubleResult() {
    check("tanh", FloatMath::tanh, Math::tanh, false);
  }

  @Test
  void sigmoidIsWithinMaxUlpsOfTheRoundedDoubleResult() {
    check("sigmoid", FloatMath::sigmoid, x -> 1.0 / (1.0 + Math.exp(-x)), true);
  }

  /**
   * Reproducibility: the vector implementation gives every element exactly the bits of
   * {@link FloatFunctions} (its scalar twin, also used for the tail), on its first, interpreted call
   * and after the JIT has compiled it, so a run's numbers do not depend on JIT timing.
   */
  @Test
  void theVectorLanesGiveExactlyTheScalarFunctionsBitsBeforeAndAfterCompilation() {
    assumeTrue(FloatMaths.vectorAvailable(), "the execution without jdk.incubator.vector has only the scalar implementation");
    float[] in = inputs();
    float[][] expected = new float[3][in.length];
    for (int i = 0; i < in.length; i++) {
      expected[0][i] = FloatFunctions.exp(in[i]);
      expected[1][i] = FloatFunctions.tanh(in[i]);
      expected[2][i] = FloatFunctions.sigmoid(in[i]);
    }
    FloatMath vector = FloatMaths.vector();
    for (int round = 0; round < 401; round++) {
      float[][] out = new float[3][in.length];
      vector.exp(in, out[0], in.length);
      vector.tanh(in, out[1], in.length);
      vector.sigmoid(in, out[2], in.length);
      if (round == 0 || round == 400) {
        for (int f = 0; f < 3; f++) {
          for (int i = 0; i < in.length; i++) {
            assertThat(Float.floatToRawIntBits(out[f][i])).as("function %d of %s, call %d", f, in[i], round + 1)
                .isEqualTo(Float.floatToRawIntBits(expected[f][i]));
          }
        }
      }
    }
  }

  /**
   * Products and quotients of every implementation: exactly the float operation, flushed to zero with
   * its sign where subnormal, on lengths that leave vector tails; operands drawn so that about a
   * third of the results are subnormal, a few zero, the rest normal.
   */
  @Test
  void productsAndQuotientsAreTheFloatOperationFlushedToSignedZeroWhereSubnormal() {
    Random rnd = new Random(5);
    for (FloatMath math : FloatMaths.available()) {
      for (int n : new int[] {0, 1, 15, 16, 17, 100, 1001}) {
        float[] x = new float[n];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
          x[i] = (float) ((rnd.nextBoolean() ? 1 : -1) * Math.pow(10, -25 + 20 * rnd.nextDouble()));
          y[i] = (float) ((rnd.nextBoolean() ? 1 : -1) * Math.pow(10, -25 + 20 * rnd.nextDouble()));
        }
        if (n > 3) {
          x[3] = 0f;
          y[2] = Float.MIN_VALUE; // a subnormal operand: 1e-25.. times it is subnormal or zero
        }
        float[] product = new float[n];
        float[] quotient = new float[n];
        for (int warm = 0; warm < (n == 1001 ? 300 : 1); warm++) { // compiled lanes, not only the interpreter's
          math.multiply(x, y, product, 0, n);
          math.divide(x, y, quotient, 0, n);
        }
        int flushed = 0;
        for (int i = 0; i < n; i++) {
          float p = x[i] * y[i];
          float q = x[i] / y[i];
          boolean subnormal = p != 0 && Math.abs(p) < Float.MIN_NORMAL;
          flushed += subnormal ? 1 : 0;
          float expectedP = subnormal ? Math.copySign(0f, p) : p;
          float expectedQ = q != 0 && Math.abs(q) < Float.MIN_NORMAL ? Math.copySign(0f, q) : q;
          assertThat(Float.floatToRawIntBits(product[i])).as("%s: %s * %s = %s, expected %s", math.name(), x[i], y[i], product[i], expectedP)
              .isEqualTo(Float.floatToRawIntBits(expectedP));
          assertThat(Float.floatToRawIntBits(quotient[i])).as("%s: %s / %s = %s, expected %s", math.name(), x[i], y[i], quotient[i], expectedQ)
              .isEqualTo(Float.floatToRawIntBits(expectedQ));
        }
        if (n == 1001) {
          assertThat(flushed).as("subnormal products among 1001").isGreaterThan(100);
        }
      }
    }
  }

  @Test
  void widenedAdditionIntoDoublesIsExactlyTheScalarOneAtAnyOffsetAndLength() {
    Random rnd = new Random(11);
    for (FloatMath math : FloatMaths.available()) {
      for (int n : new int[] {0, 1, 7, 8, 15, 16, 33, 130}) {
        float[] src = new float[n + 5];
        double[] acc = new double[n + 3];
        for (int i = 0; i < src.length; i++) {
          src[i] = (float) (rnd.nextGaussian() * 1e3);
        }
        for (int i = 0; i < acc.length; i++) {
          acc[i] = rnd.nextGaussian();
        }
        double[] expected = acc.clone();
        for (int j = 0; j < n; j++) {
          expected[2 + j] += (double) src[3 + j];
        }
        math.addWidened(src, 3, acc, 2, n);
        assertThat(acc).as("%s, n = %d", math.name(), n).containsExactly(expected);
      }
    }
  }

  @Test
  void doubleRowSumsAndDotsHaveTheScalarBitsAndAreExactOnIntegers() {
    Random rnd = new Random(15);
    for (int n : new int[] {0, 1, 15, 16, 17, 128, 130}) {
      double[] a = new double[n];
      double[] b = new double[n];
      double[] ints = new double[n];
      double exactSum = 0;
      double exactDot = 0;
      for (int i = 0; i < n; i++) {
        a[i] = rnd.nextGaussian() * Math.pow(10, rnd.nextInt(7) - 3);
        b[i] = rnd.nextGaussian();
        ints[i] = rnd.nextInt(2001) - 1000;
        exactSum += ints[i];
        exactDot += ints[i] * ints[i];
      }
      double sum = DoubleSums.sum(a, n);
      double dot = DoubleSums.dot(a, b, n);
      for (FloatMath math : FloatMaths.available()) {
        assertThat(math.sumDoubles(a, n)).as("%s, sum, n = %d", math.name(), n).isEqualTo(sum);
        assertThat(math.dotDoubles(a, b, n)).as("%s, dot, n = %d", math.name(), n).isEqualTo(dot);
        assertThat(math.sumDoubles(ints, n)).as("%s, sum of integers, n = %d", math.name(), n).isEqualTo(exactSum);
        assertThat(math.dotDoubles(ints, ints, n)).as("%s, squares of integers, n = %d", math.name(), n).isEqualTo(exactDot);
      }
    }
  }

  @Test
  void layerNormColumnSumsHaveTheScalarBitsForAnyColumnRangeAndTouchNoOtherColumn() {
    Random rnd = new Random(14);
    int rows = 37;
    for (int n : new int[] {1, 7, 16, 40, 130}) {
      float[] g = new float[rows * n];
      float[] x = new float[rows * n];
      for (int i = 0; i < g.length; i++) {
        g[i] = (float) rnd.nextGaussian();
        x[i] = (float) (rnd.nextGaussian() * 3 + 1);
      }
      double[] mean = new double[rows];
      double[] rstd = new double[rows];
      for (int r = 0; r < rows; r++) {
        mean[r] = rnd.nextGaussian();
        rstd[r] = 0.5 + rnd.nextDouble();
      }
      for (int[] range : new int[][] {{0, n}, {n / 3, n}, {1, Math.max(1, n - 2)}}) {
        int j0 = Math.min(range[0], range[1]);
        int j1 = range[1];
        double[] expectedW = new double[n + 1];
        double[] expectedB = new double[n + 1];
        Arrays.fill(expectedW, 42.0);
        Arrays.fill(expectedB, 42.0);
        LayerNormSums.columns(g, x, mean, rstd, rows, n, j0, j1, expectedW, expectedB);
        for (FloatMath math : FloatMaths.available()) {
          double[] dw = new double[n + 1];
          double[] db = new double[n + 1];
          Arrays.fill(dw, 42.0);
          Arrays.fill(db, 42.0);
          math.layerNormColumnSums(g, x, mean, rstd, rows, n, j0, j1, dw, db);
          assertThat(dw).as("%s, dw, n = %d, columns [%d, %d)", math.name(), n, j0, j1).isEqualTo(expectedW);
          assertThat(db).as("%s, db, n = %d, columns [%d, %d)", math.name(), n, j0, j1).isEqualTo(expectedB);
        }
        if (j1 > j0) {
          double w = 0;
          for (int r = 0; r < rows; r++) { // the definition, for the first column of the range
            w += g[r * n + j0] * ((x[r * n + j0] - mean[r]) * rstd[r]);
          }
          assertThat(expectedW[j0]).as("n = %d, column %d", n, j0).isEqualTo(w);
        }
      }
    }
  }

  @Test
  void floatAdditionIntoARunIsExactlyTheScalarOneAtAnyOffsetAndLengthAndTouchesNothingElse() {
    Random rnd = new Random(12);
    for (FloatMath math : FloatMaths.available()) {
      for (int n : new int[] {0, 1, 7, 15, 16, 17, 33, 130}) {
        float[] src = new float[n + 5];
        float[] dst = new float[n + 4];
        for (int i = 0; i < src.length; i++) {
          src[i] = (float) (rnd.nextGaussian() * 1e3);
        }
        for (int i = 0; i < dst.length; i++) {
          dst[i] = (float) rnd.nextGaussian();
        }
        float[] expected = dst.clone();
        for (int j = 0; j < n; j++) {
          expected[2 + j] += src[3 + j];
        }
        math.addTo(src, 3, dst, 2, n);
        assertThat(dst).as("%s, n = %d", math.name(), n).containsExactly(expected);
      }
    }
  }

  @Test
  void inPlaceUseGivesTheSameResult() {
    for (FloatMath math : FloatMaths.available()) {
      float[] in = inputs();
      float[] out = new float[in.length];
      math.tanh(in, out, in.length);
      math.tanh(in, in, in.length);
      assertThat(in).as("%s tanh in place", math.name()).containsExactly(out);
    }
  }

  @Test
  void anUnknownNameListsTheKnownOnes() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> FloatMaths.named("fast"))
        .hasMessage("seq2seq.ejml.math=fast: unknown float32 math (expected vector or scalar)");
  }
}
