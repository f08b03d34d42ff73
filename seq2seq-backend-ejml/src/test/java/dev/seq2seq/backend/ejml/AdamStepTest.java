package dev.seq2seq.backend.ejml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seq2seq.api.backend.RawTensor;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.GradMode;
import dev.seq2seq.api.tensor.Shape;
import dev.seq2seq.api.tensor.Tensor;
import dev.seq2seq.api.tensor.Tensors;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The one-pass Adam kernel gives exactly the numbers of the elementwise composition the optimizer
 * uses without it, in both floating dtypes: for a few elements (two float32 vectors of 16 and a
 * tail) and for 75,000 (split over threads, a tail of 8).
 */
class AdamStepTest {
  private final EjmlBackend backend = new EjmlBackend();

  private Tensor random(DType dtype, Shape shape, Random random, double scale, boolean positive) {
    double[] v = new double[shape.size()];
    for (int i = 0; i < v.length; i++) {
      double x = random.nextGaussian() * scale;
      v[i] = positive ? Math.abs(x) : x;
    }
    return Tensors.of(backend, dtype, v, shape);
  }

  @ParameterizedTest(name = "{0} x {1}")
  @CsvSource({"5, 7", "300, 250"})
  void theKernelEqualsTheCompositionBitForBit(int rows, int columns) {
    Shape shape = Shape.of(rows, columns);
    Random random = new Random(41);
    double beta1 = 0.9;
    double beta2 = 0.999;
    double eps = 1e-8;
    for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
      try (GradMode.Scope ignored = GradMode.disabled()) {
        Tensor w = random(dtype, shape, random, 1, false);
        Tensor g = random(dtype, shape, random, 0.1, false);
        Tensor m = random(dtype, shape, random, 0.01, false);
        Tensor v = random(dtype, shape, random, 0.001, true);
        Tensor t = Tensors.scalar(backend, dtype, 3);
        Tensor lr = Tensors.scalar(backend, dtype, 1e-3);
        Tensor stepSize = lr.div(t.mul(Math.log(beta1)).exp().neg().add(1.0));
        Tensor sqrtCorrection2 = t.mul(Math.log(beta2)).exp().neg().add(1.0).sqrt();
        // The composition of Adam.update.
        Tensor m2 = m.mul(beta1).add(g.mul(1 - beta1));
        Tensor v2 = v.mul(beta2).add(g.mul(g).mul(1 - beta2));
        Tensor w2 = w.sub(m2.div(v2.sqrt().div(sqrtCorrection2).add(eps)).mul(stepSize));
        double[] s = {beta1, 1 - beta1, beta2, 1 - beta2, eps};
        if (dtype == DType.FLOAT32) {
          for (int i = 0; i < s.length; i++) {
            s[i] = (float) s[i];
          }
        }

        RawTensor[] out = backend.adamStep(w.raw(), g.raw(), m.raw(), v.raw(), s[0], s[1], s[2], s[3], s[4],
            sqrtCorrection2.raw().toDoubleArray()[0], stepSize.raw().toDoubleArray()[0]);

        assertThat(out[0].dtype()).isEqualTo(dtype);
        assertThat(out[0].toDoubleArray()).as("w', %s", dtype.label()).containsExactly(w2.raw().toDoubleArray());
        assertThat(out[1].toDoubleArray()).as("m', %s", dtype.label()).containsExactly(m2.raw().toDoubleArray());
        assertThat(out[2].toDoubleArray()).as("v', %s", dtype.label()).containsExactly(v2.raw().toDoubleArray());
      }
    }
  }

  @Test
  void mismatchedShapesAreRejectedWithBothShapes() {
    RawTensor w = backend.fromFloats(new float[6], Shape.of(2, 3));
    RawTensor g = backend.fromFloats(new float[6], Shape.of(3, 2));
    assertThatThrownBy(() -> backend.adamStep(w, g, w, w, 0.9, 0.1, 0.999, 0.001, 1e-8, 1, 1e-3))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("adam").hasMessageContaining("[2, 3]").hasMessageContaining("[3, 2]");
  }
}
