package dev.seq2seq.backend.ejml.floatmath;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seq2seq.api.conformance.Tolerances;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link FloatMath#dot}: the scalar default's fixed order (sixteen partial sums, folded in halves,
 * then the tail) checked against a plain re-statement of that order, the double-precision dot within
 * {@link Tolerances#FLOAT32_MATMUL}, and the vector implementation's exact bits for the scalar ones.
 */
class DotTest {
  @ParameterizedTest(name = "n = {0}")
  @ValueSource(ints = {0, 1, 15, 16, 17, 40, 256, 300})
  void everyImplementationAddsInTheDocumentedOrderWithTheSameBits(int n) {
    Random r = new Random(n);
    float[] x = new float[n + 3];
    float[] y = new float[n + 5];
    for (int i = 0; i < x.length; i++) {
      x[i] = r.nextFloat() * 2 - 1;
    }
    for (int i = 0; i < y.length; i++) {
      y[i] = r.nextFloat() * 2 - 1;
    }
    // the documented order, written out: lane l sums i = l, l + 16, ... over whole blocks of 16
    float[] lanes = new float[16];
    int whole = n / 16 * 16;
    for (int l = 0; l < 16; l++) {
      for (int i = l; i < whole; i += 16) {
        lanes[l] = Math.fma(x[3 + i], y[5 + i], lanes[l]);
      }
    }
    float folded = ((lanes[0] + lanes[8]) + (lanes[4] + lanes[12])) + ((lanes[2] + lanes[10]) + (lanes[6] + lanes[14]))
        + (((lanes[1] + lanes[9]) + (lanes[5] + lanes[13])) + ((lanes[3] + lanes[11]) + (lanes[7] + lanes[15])));
    for (int i = whole; i < n; i++) {
      folded = Math.fma(x[3 + i], y[5 + i], folded);
    }
    double exact = 0;
    for (int i = 0; i < n; i++) {
      exact += (double) x[3 + i] * y[5 + i];
    }

    float scalar = FloatMaths.scalar().dot(x, 3, y, 5, n);

    assertThat(scalar).as("scalar dot of %s, the documented order", n).isEqualTo(folded);
    assertThat(Tolerances.FLOAT32_MATMUL.accepts(scalar, exact)).as("dot %s vs %s in double (%s)", scalar, exact, Tolerances.FLOAT32_MATMUL)
        .isTrue();
    if (FloatMaths.vectorAvailable()) {
      assertThat(FloatMaths.vector().dot(x, 3, y, 5, n)).as("vector dot of %s, the scalar bits", n).isEqualTo(scalar);
    }
  }
}
