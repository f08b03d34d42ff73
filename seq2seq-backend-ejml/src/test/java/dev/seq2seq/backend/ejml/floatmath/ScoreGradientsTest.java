package dev.seq2seq.backend.ejml.floatmath;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seq2seq.api.conformance.Tolerances;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link FloatMath#addTanhScoreGradient}: both rows get {@code d * w * (1 - t^2)} added (the formula
 * in double within {@link Tolerances#FLOAT32}), nothing outside them changes, and the vector
 * implementation gives the scalar bits (whole vectors and the tail).
 */
class ScoreGradientsTest {
  @ParameterizedTest(name = "n = {0}")
  @ValueSource(ints = {1, 15, 16, 37, 256})
  void addsTheTanhGradientIntoBothRowsWithTheSameBitsInEveryImplementation(int n) {
    Random r = new Random(n);
    float[] w = new float[n];
    float[] t = new float[n + 2];
    float[] a0 = new float[n + 4];
    float[] b0 = new float[n + 1];
    for (float[] x : new float[][] {w, t, a0, b0}) {
      for (int i = 0; i < x.length; i++) {
        x[i] = r.nextFloat() * 2 - 1;
      }
    }
    float d = 0.75f;
    float[] a = a0.clone();
    float[] b = b0.clone();

    FloatMaths.scalar().addTanhScoreGradient(d, w, t, 2, a, 3, b, 1, n);

    assertThat(a[0]).as("before row a").isEqualTo(a0[0]);
    assertThat(a[a.length - 1]).as("after row a").isEqualTo(a0[a.length - 1]);
    assertThat(b[0]).as("before row b").isEqualTo(b0[0]);
    for (int j = 0; j < n; j++) {
      double g = (double) d * w[j] * (1 - (double) t[2 + j] * t[2 + j]);
      assertThat(Tolerances.FLOAT32.accepts(a[3 + j], a0[3 + j] + g)).as("a[%s] (%s)", j, Tolerances.FLOAT32).isTrue();
      assertThat(Tolerances.FLOAT32.accepts(b[1 + j], b0[1 + j] + g)).as("b[%s] (%s)", j, Tolerances.FLOAT32).isTrue();
    }
    if (FloatMaths.vectorAvailable()) {
      float[] av = a0.clone();
      float[] bv = b0.clone();
      FloatMaths.vector().addTanhScoreGradient(d, w, t, 2, av, 3, bv, 1, n);
      assertThat(av).as("vector row a, the scalar bits").containsExactly(a);
      assertThat(bv).as("vector row b, the scalar bits").containsExactly(b);
    }
  }
}
