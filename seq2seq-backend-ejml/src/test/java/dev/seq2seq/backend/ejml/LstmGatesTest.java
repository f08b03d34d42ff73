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
import org.junit.jupiter.api.Test;

/**
 * The fused LSTM cell against the composition it replaces (computed here with the same primitives):
 * outputs bit for bit, gradients within {@link Tolerances#FLOAT32} / {@link Tolerances#FLOAT64}.
 */
class LstmGatesTest {
  private static final int BATCH = 5;
  private static final int H = 37; // not a multiple of the vector length: the scalar tails run too

  private final EjmlBackend backend = new EjmlBackend();

  private Tensor random(Random random, DType dtype, int... dims) {
    double[] v = new double[Shape.of(dims).size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = random.nextGaussian() * 2;
    }
    return Tensors.of(backend, dtype, v, Shape.of(dims));
  }

  private static Tensor composed(Tensor gates, Tensor cell) {
    Tensor i = gates.sliceAxis(1, 0, H).sigmoid();
    Tensor f = gates.sliceAxis(1, H, H).sigmoid();
    Tensor g = gates.sliceAxis(1, 2 * H, H).tanh();
    Tensor o = gates.sliceAxis(1, 3 * H, H).sigmoid();
    Tensor c = f.mul(cell).add(i.mul(g));
    return Tensor.concat(List.of(o.mul(c.tanh()), c), 1);
  }

  @Test
  void outputsEqualTheCompositionBitForBitAndGradientsWithinTolerance() {
    Random random = new Random(5);
    for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
      Tensor gates = random(random, dtype, BATCH, 4 * H).requiringGrad();
      Tensor cell = random(random, dtype, BATCH, H).requiringGrad();
      Tensor seed = random(random, dtype, BATCH, 2 * H);

      Tensor fused = Tensor.lstmCell(gates, cell);
      Tensor reference = composed(gates, cell);
      assertThat(fused.toDoubleArray()).as("%s outputs", dtype.label()).containsExactly(reference.toDoubleArray());

      List<Tensor> fusedGrads = Gradients.of(fused, seed, List.of(gates, cell));
      List<Tensor> referenceGrads = Gradients.of(reference, seed, List.of(gates, cell));
      Tolerance tol = Tolerances.of(dtype);
      for (int k = 0; k < 2; k++) {
        double[] a = fusedGrads.get(k).toDoubleArray();
        double[] e = referenceGrads.get(k).toDoubleArray();
        for (int j = 0; j < a.length; j++) {
          assertThat(Math.abs(a[j] - e[j]))
              .as("%s gradient %s element %s within rel %s / abs %s", dtype.label(), k == 0 ? "gates" : "cell", j, tol.relative(), tol.absolute())
              .isLessThanOrEqualTo(tol.absolute() + tol.relative() * Math.abs(e[j]));
        }
      }
    }
  }
}
