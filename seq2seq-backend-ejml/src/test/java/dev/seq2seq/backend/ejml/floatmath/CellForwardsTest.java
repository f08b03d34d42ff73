package dev.seq2seq.backend.ejml.floatmath;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seq2seq.api.conformance.Tolerance;
import dev.seq2seq.api.conformance.Tolerances;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The cells' forward loops of every available {@link FloatMath}: the formulas in double precision
 * (within {@link Tolerances#FLOAT32}), the bits of {@link FloatMath}'s scalar default loops run with
 * the same activations (whole vectors and the tail), and rows computed in two calls equal to one.
 */
class CellForwardsTest {
  private static final int BATCH = 5;
  private static final Tolerance TOL = Tolerances.FLOAT32;

  /** {@code math}'s activations under {@link FloatMath}'s default (scalar) cell loops. */
  private static FloatMath defaultLoops(FloatMath math) {
    return new FloatMath() {
      @Override
      public String name() {
        return math.name() + " activations, default loops";
      }

      @Override
      public void exp(float[] in, float[] out, int from, int to) {
        math.exp(in, out, from, to);
      }

      @Override
      public void tanh(float[] in, float[] out, int from, int to) {
        math.tanh(in, out, from, to);
      }

      @Override
      public void sigmoid(float[] in, float[] out, int from, int to) {
        math.sigmoid(in, out, from, to);
      }
    };
  }

  private static float[] random(Random r, int n) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) (r.nextGaussian() * 2);
    }
    return x;
  }

  private static double sigmoid(double x) {
    return 1 / (1 + Math.exp(-x));
  }

  @ParameterizedTest(name = "hidden {0}, projections summed {1}")
  @CsvSource({"1, true", "15, true", "16, false", "19, true", "19, false", "256, true"})
  void lstmForwardFollowsTheFormulaWithTheDefaultLoopsBits(int h, boolean summed) {
    Random r = new Random(h);
    float[] x = random(r, BATCH * 4 * h);
    float[] hp = summed ? random(r, BATCH * 4 * h) : null;
    float[] bias = summed ? random(r, 4 * h) : null;
    float[] c = random(r, BATCH * h);
    for (FloatMath math : FloatMaths.available()) {
      float[] out = new float[BATCH * 2 * h];
      float[] s = new float[BATCH * 5 * h];
      for (int warm = 0; warm < 300; warm++) { // through the JIT's tiers
        math.lstmCellForward(x, hp, bias, c, out, s, h, 0, 2);
        math.lstmCellForward(x, hp, bias, c, out, s, h, 2, BATCH);
      }
      for (int b = 0; b < BATCH; b++) {
        for (int j = 0; j < h; j++) {
          double[] a = new double[4];
          for (int k = 0; k < 4; k++) {
            int xi = b * 4 * h + k * h + j;
            a[k] = summed ? (double) x[xi] + hp[xi] + bias[k * h + j] : x[xi];
          }
          double i = sigmoid(a[0]);
          double f = sigmoid(a[1]);
          double g = Math.tanh(a[2]);
          double o = sigmoid(a[3]);
          double cNew = f * c[b * h + j] + i * g;
          String where = math.name() + " row " + b + " column " + j + " (float32 tolerance " + TOL + ")";
          close(out[b * 2 * h + h + j], cNew, where + " c'");
          close(out[b * 2 * h + j], o * Math.tanh(cNew), where + " h'");
          double[] saved = {i, f, g, o, Math.tanh(cNew)};
          for (int k = 0; k < 5; k++) {
            close(s[b * 5 * h + k * h + j], saved[k], where + " saved block " + k);
          }
        }
      }
      float[] wholeOut = new float[out.length];
      float[] wholeSaved = new float[s.length];
      math.lstmCellForward(x, hp, bias, c, wholeOut, wholeSaved, h, 0, BATCH);
      assertThat(wholeOut).as("%s: rows in one call and in two", math.name()).containsExactly(out);
      assertThat(wholeSaved).as("%s: rows in one call and in two", math.name()).containsExactly(s);
      float[] loopOut = new float[out.length];
      float[] loopSaved = new float[s.length];
      defaultLoops(math).lstmCellForward(x, hp, bias, c, loopOut, loopSaved, h, 0, BATCH);
      assertThat(out).as("%s gives the default loops' bits", math.name()).containsExactly(loopOut);
      assertThat(s).as("%s gives the default loops' bits", math.name()).containsExactly(loopSaved);
    }
  }

  @ParameterizedTest(name = "hidden {0}, biases {1}")
  @CsvSource({"1, true", "15, false", "16, true", "19, true", "19, false", "256, true"})
  void gruForwardFollowsTheFormulaWithTheDefaultLoopsBits(int h, boolean biased) {
    Random r = new Random(100 + h);
    float[] x = random(r, BATCH * 3 * h);
    float[] y = random(r, BATCH * 3 * h);
    float[] bx = biased ? random(r, 3 * h) : null;
    float[] by = biased ? random(r, 3 * h) : null;
    float[] hs = random(r, BATCH * h);
    for (FloatMath math : FloatMaths.available()) {
      float[] out = new float[BATCH * h];
      float[] s = new float[BATCH * 4 * h];
      for (int warm = 0; warm < 300; warm++) {
        math.gruCellForward(x, bx, y, by, hs, out, s, h, 0, 3);
        math.gruCellForward(x, bx, y, by, hs, out, s, h, 3, BATCH);
      }
      for (int b = 0; b < BATCH; b++) {
        for (int j = 0; j < h; j++) {
          double[] xs = new double[3];
          double[] ys = new double[3];
          for (int k = 0; k < 3; k++) {
            int gi = b * 3 * h + k * h + j;
            xs[k] = biased ? (double) x[gi] + bx[k * h + j] : x[gi];
            ys[k] = biased ? (double) y[gi] + by[k * h + j] : y[gi];
          }
          double rr = sigmoid(xs[0] + ys[0]);
          double z = sigmoid(xs[1] + ys[1]);
          double n = Math.tanh(xs[2] + rr * ys[2]);
          String where = math.name() + " row " + b + " column " + j + " (float32 tolerance " + TOL + ")";
          close(out[b * h + j], n + z * (hs[b * h + j] - n), where + " h'");
          double[] saved = {rr, z, n, ys[2]};
          for (int k = 0; k < 4; k++) {
            close(s[b * 4 * h + k * h + j], saved[k], where + " saved block " + k);
          }
        }
      }
      float[] wholeOut = new float[out.length];
      float[] wholeSaved = new float[s.length];
      math.gruCellForward(x, bx, y, by, hs, wholeOut, wholeSaved, h, 0, BATCH);
      assertThat(wholeOut).as("%s: rows in one call and in two", math.name()).containsExactly(out);
      assertThat(wholeSaved).as("%s: rows in one call and in two", math.name()).containsExactly(s);
      float[] loopOut = new float[out.length];
      float[] loopSaved = new float[s.length];
      defaultLoops(math).gruCellForward(x, bx, y, by, hs, loopOut, loopSaved, h, 0, BATCH);
      assertThat(out).as("%s gives the default loops' bits", math.name()).containsExactly(loopOut);
      assertThat(s).as("%s gives the default loops' bits", math.name()).containsExactly(loopSaved);
    }
  }

  private static void close(float actual, double expected, String where) {
    assertThat(TOL.accepts(actual, expected)).as("%s: %s vs %s", where, actual, expected).isTrue();
  }
}
