package dev.seq2seq.backend.ejml.floatmath;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seq2seq.api.conformance.Tolerance;
import dev.seq2seq.api.conformance.Tolerances;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The cells' gradient loops of every available {@link FloatMath}: the formulas in double precision
 * (within {@link Tolerances#FLOAT32}: float32 rounding of a few products), the scalar loops' exact bits for the vector
 * ones (whole vectors and the tail), and rows computed in two calls equal to one call.
 */
class CellGradientsTest {
  private static final int BATCH = 5;
  private static final Tolerance TOL = Tolerances.FLOAT32;

  private static float[] random(Random r, int n, boolean unit) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = unit ? r.nextFloat() : (float) r.nextGaussian();
    }
    return x;
  }

  @ParameterizedTest(name = "hidden {0}")
  @ValueSource(ints = {1, 15, 16, 19, 256})
  void lstmGradientFollowsTheFormulaWithTheSameBitsInEveryImplementation(int h) {
    Random r = new Random(h);
    float[] d = random(r, BATCH * 2 * h, false);
    float[] s = random(r, BATCH * 5 * h, true); // activations in [0, 1)
    float[] c = random(r, BATCH * h, false);
    float[] firstGates = null;
    float[] firstCell = null;
    for (FloatMath math : FloatMaths.available()) {
      float[] dGates = new float[BATCH * 4 * h];
      float[] dCell = new float[BATCH * h];
      for (int warm = 0; warm < 300; warm++) { // through the JIT's tiers
        math.lstmCellGradient(d, s, c, dGates, dCell, h, 0, 2);
        math.lstmCellGradient(d, s, c, dGates, dCell, h, 2, BATCH);
      }
      for (int b = 0; b < BATCH; b++) {
        for (int j = 0; j < h; j++) {
          int si = b * 5 * h + j;
          double i = s[si];
          double f = s[si + h];
          double g = s[si + 2 * h];
          double o = s[si + 3 * h];
          double t = s[si + 4 * h];
          double dh = d[b * 2 * h + j];
          double dc = d[b * 2 * h + h + j] + dh * o * (1 - t * t);
          int gi = b * 4 * h + j;
          String where = math.name() + " row " + b + " column " + j + " (float32 tolerance " + TOL + ")";
          close(dGates[gi], dc * g * i * (1 - i), where);
          close(dGates[gi + h], dc * c[b * h + j] * f * (1 - f), where);
          close(dGates[gi + 2 * h], dc * i * (1 - g * g), where);
          close(dGates[gi + 3 * h], dh * t * o * (1 - o), where);
          close(dCell[b * h + j], dc * f, where);
        }
      }
      float[] wholeGates = new float[dGates.length];
      float[] wholeCell = new float[dCell.length];
      math.lstmCellGradient(d, s, c, wholeGates, wholeCell, h, 0, BATCH);
      assertThat(wholeGates).as("%s: rows in one call and in two", math.name()).containsExactly(dGates);
      assertThat(wholeCell).as("%s: rows in one call and in two", math.name()).containsExactly(dCell);
      if (firstGates == null) {
        firstGates = dGates;
        firstCell = dCell;
      } else {
        assertThat(dGates).as("%s gives the scalar loops' bits", math.name()).containsExactly(firstGates);
        assertThat(dCell).as("%s gives the scalar loops' bits", math.name()).containsExactly(firstCell);
      }
    }
  }

  @ParameterizedTest(name = "hidden {0}")
  @ValueSource(ints = {1, 15, 16, 19, 256})
  void gruGradientFollowsTheFormulaWithTheSameBitsInEveryImplementation(int h) {
    Random r = new Random(100 + h);
    float[] d = random(r, BATCH * h, false);
    float[] s = random(r, BATCH * 4 * h, true);
    float[] hs = random(r, BATCH * h, false);
    float[][] first = null;
    for (FloatMath math : FloatMaths.available()) {
      float[] dgi = new float[BATCH * 3 * h];
      float[] dgh = new float[BATCH * 3 * h];
      float[] dh = new float[BATCH * h];
      for (int warm = 0; warm < 300; warm++) {
        math.gruCellGradient(d, s, hs, dgi, dgh, dh, h, 0, 3);
        math.gruCellGradient(d, s, hs, dgi, dgh, dh, h, 3, BATCH);
      }
      for (int b = 0; b < BATCH; b++) {
        for (int j = 0; j < h; j++) {
          int si = b * 4 * h + j;
          double rr = s[si];
          double z = s[si + h];
          double n = s[si + 2 * h];
          double ghn = s[si + 3 * h];
          double g = d[b * h + j];
          double dn = g * (1 - z) * (1 - n * n);
          double dr = dn * ghn * rr * (1 - rr);
          double dz = g * (hs[b * h + j] - n) * z * (1 - z);
          int gi = b * 3 * h + j;
          String where = math.name() + " row " + b + " column " + j + " (float32 tolerance " + TOL + ")";
          close(dgi[gi], dr, where);
          close(dgi[gi + h], dz, where);
          close(dgi[gi + 2 * h], dn, where);
          close(dgh[gi], dr, where);
          close(dgh[gi + h], dz, where);
          close(dgh[gi + 2 * h], dn * rr, where);
          close(dh[b * h + j], g * z, where);
        }
      }
      if (first == null) {
        first = new float[][] {dgi, dgh, dh};
      } else {
        assertThat(dgi).as("%s gives the scalar loops' bits", math.name()).containsExactly(first[0]);
        assertThat(dgh).as("%s gives the scalar loops' bits", math.name()).containsExactly(first[1]);
        assertThat(dh).as("%s gives the scalar loops' bits", math.name()).containsExactly(first[2]);
      }
    }
  }

  private static void close(float actual, double expected, String where) {
    assertThat(TOL.accepts(actual, expected)).as("%s: %s vs %s", where, actual, expected).isTrue();
  }
}
