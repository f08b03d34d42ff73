package dev.seq2seq.backend.ejml;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seq2seq.api.conformance.Tolerance;
import dev.seq2seq.api.conformance.Tolerances;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Gradients;
import dev.seq2seq.api.tensor.Shape;
import dev.seq2seq.api.tensor.Tensor;
import dev.seq2seq.api.tensor.Tensors;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The fused additive attention scores against the composition they replace (broadcast sum, tanh,
 * product with {@code w}, computed here with the same primitives): scores and the gradients of all
 * three inputs within {@link Tolerances#FLOAT32_MATMUL} / {@link Tolerances#FLOAT64} (the kernel's
 * dot adds in lanes); and each score independent of the batch it was computed in.
 */
class AdditiveScoresTest {
  private final EjmlBackend backend = new EjmlBackend();

  private Tensor random(Random random, DType dtype, int... dims) {
    double[] v = new double[Shape.of(dims).size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = random.nextGaussian();
    }
    return Tensors.of(backend, dtype, v, Shape.of(dims));
  }

  private static Tensor composed(Tensor query, Tensor keys, Tensor w) {
    return query.unsqueeze(2).add(keys.unsqueeze(1)).tanh().matmul(w.reshape(w.dim(0), 1)).squeeze(-1);
  }

  @ParameterizedTest(name = "B={0} Tq={1} S={2} A={3}")
  @CsvSource({
    "3, 2, 5, 37", // A not a multiple of the vector length: the dot's tail and the tanh's scalar tail run
    "64, 1, 20, 64" // a decoder step, large enough to split over threads
  })
  void scoresAndGradientsAgreeWithTheComposition(int batch, int queries, int keys, int units) {
    Random random = new Random(batch + keys);
    for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
      Tolerance tol = dtype == DType.FLOAT32 ? Tolerances.FLOAT32_MATMUL : Tolerances.FLOAT64;
      List<Tensor> in = List.of(random(random, dtype, batch, queries, units).requiringGrad(),
          random(random, dtype, batch, keys, units).requiringGrad(), random(random, dtype, units).requiringGrad());
      Tensor seed = random(random, dtype, batch, queries, keys);
      Tensor fused = Tensor.additiveScores(in.get(0), in.get(1), in.get(2));
      Tensor reference = composed(in.get(0), in.get(1), in.get(2));
      assertThat(fused.shape()).isEqualTo(Shape.of(batch, queries, keys));
      assertClose(fused.toDoubleArray(), reference.toDoubleArray(), tol, dtype.label() + " scores");
      List<Tensor> actual = Gradients.of(fused, seed, in);
      List<Tensor> expected = Gradients.of(reference, seed, in);
      for (int k = 0; k < in.size(); k++) {
        assertThat(actual.get(k).shape()).isEqualTo(in.get(k).shape());
        assertClose(actual.get(k).toDoubleArray(), expected.get(k).toDoubleArray(), tol, dtype.label() + " gradient of input " + k);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = DType.class, names = {"FLOAT32", "FLOAT64"})
  void aScoreDoesNotDependOnTheBatchItWasComputedIn(DType dtype) {
    String label = dtype.label();
    Random random = new Random(3);
    Tensor query = random(random, dtype, 4, 1, 40);
    Tensor keys = random(random, dtype, 4, 6, 40);
    Tensor w = random(random, dtype, 40);
    double[] all = Tensor.additiveScores(query, keys, w).toDoubleArray();
    for (int b = 0; b < 4; b++) {
      double[] one = Tensor.additiveScores(query.sliceAxis(0, b, 1), keys.sliceAxis(0, b, 1), w).toDoubleArray();
      for (int s = 0; s < 6; s++) {
        assertThat(one[s]).as("%s batch entry %s, key %s", label, b, s).isEqualTo(all[b * 6 + s]);
      }
    }
  }

  private static void assertClose(double[] actual, double[] expected, Tolerance tol, String what) {
    assertThat(actual).as(what).hasSameSizeAs(expected);
    for (int i = 0; i < expected.length; i++) {
      assertThat(tol.accepts(actual[i], expected[i])).as("%s, element %s: %s vs %s (%s)", what, i, actual[i], expected[i], tol).isTrue();
    }
  }
}
