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
 * The fused LSTM and GRU cells against the compositions they replace (computed here with the same primitives):
 * outputs bit for bit, gradients within {@link Tolerances#FLOAT32} / {@link Tolerances#FLOAT64}.
 */
class CellKernelsTest {
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

  private static Tensor composedGru(Tensor gi, Tensor gh, Tensor h) {
    Tensor r = gi.sliceAxis(1, 0, H).add(gh.sliceAxis(1, 0, H)).sigmoid();
    Tensor z = gi.sliceAxis(1, H, H).add(gh.sliceAxis(1, H, H)).sigmoid();
    Tensor n = gi.sliceAxis(1, 2 * H, H).add(r.mul(gh.sliceAxis(1, 2 * H, H))).tanh();
    return n.add(z.mul(h.sub(n)));
  }

  @Test
  void gruOutputsEqualTheCompositionBitForBitAndGradientsWithinTolerance() {
    Random random = new Random(6);
    for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
      List<Tensor> in = List.of(random(random, dtype, BATCH, 3 * H).requiringGrad(), random(random, dtype, BATCH, 3 * H).requiringGrad(),
          random(random, dtype, BATCH, H).requiringGrad());
      Tensor seed = random(random, dtype, BATCH, H);
      Tensor fused = Tensor.gruCell(in.get(0), in.get(1), in.get(2));
      Tensor reference = composedGru(in.get(0), in.get(1), in.get(2));
      assertThat(fused.toDoubleArray()).as("%s outputs", dtype.label()).containsExactly(reference.toDoubleArray());
      assertGradientsClose(dtype, Gradients.of(fused, seed, in), Gradients.of(reference, seed, in));
    }
  }

  private static void assertGradientsClose(DType dtype, List<Tensor> actual, List<Tensor> expected) {
    Tolerance tol = Tolerances.of(dtype);
    for (int k = 0; k < actual.size(); k++) {
      double[] a = actual.get(k).toDoubleArray();
      double[] e = expected.get(k).toDoubleArray();
      for (int j = 0; j < a.length; j++) {
        assertThat(Math.abs(a[j] - e[j]))
            .as("%s gradient of input %s, element %s, within rel %s / abs %s", dtype.label(), k, j, tol.relative(), tol.absolute())
            .isLessThanOrEqualTo(tol.absolute() + tol.relative() * Math.abs(e[j]));
      }
    }
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
  void lstmOutputsEqualTheCompositionBitForBitAndGradientsWithinTolerance() {
    Random random = new Random(5);
    for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
      Tensor gates = random(random, dtype, BATCH, 4 * H).requiringGrad();
      Tensor cell = random(random, dtype, BATCH, H).requiringGrad();
      Tensor seed = random(random, dtype, BATCH, 2 * H);

      Tensor fused = Tensor.lstmCell(gates, cell);
      Tensor reference = composed(gates, cell);
      assertThat(fused.toDoubleArray()).as("%s outputs", dtype.label()).containsExactly(reference.toDoubleArray());

      assertGradientsClose(dtype, Gradients.of(fused, seed, List.of(gates, cell)), Gradients.of(reference, seed, List.of(gates, cell)));
    }
  }
}
