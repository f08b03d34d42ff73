package dev.seq2seq.backend.ejml;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seq2seq.api.backend.Backend;
import dev.seq2seq.api.backend.InPlaceAccumulator;
import dev.seq2seq.api.conformance.Tolerance;
import dev.seq2seq.api.conformance.Tolerances;
import dev.seq2seq.api.random.Rng;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.GradMode;
import dev.seq2seq.api.tensor.Gradients;
import dev.seq2seq.api.tensor.Shape;
import dev.seq2seq.api.tensor.Tensor;
import dev.seq2seq.api.tensor.Tensors;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The gradients of slices on a backend without {@link InPlaceAccumulator} (as a graph being built):
 * joined by one concatenation, or padded and summed, they equal the gradients the in-place boxes
 * give on the same kernels.
 */
class SliceGradientsTest {
  private static final Tolerance TOL = Tolerances.FLOAT64;

  private final EjmlBackend inPlace = new EjmlBackend();
  /** The same kernels behind the plain {@link Backend} interface: no capabilities. */
  private final Backend plain = (Backend) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Backend.class},
      (proxy, method, args) -> {
        try {
          return method.invoke(inPlace, args);
        } catch (InvocationTargetException e) {
          throw e.getCause();
        }
      });

  private List<double[]> gradients(Backend backend, Function<Tensor, Tensor> f) {
    Tensor x = Tensors.uniform(backend, DType.FLOAT64, Shape.of(3, 6, 8), new Rng(5), -1, 1).requiringGrad();
    Tensor loss;
    try (GradMode.Scope ignored = GradMode.enabled()) {
      loss = f.apply(x);
    }
    List<double[]> out = new ArrayList<>();
    for (Tensor g : Gradients.of(loss, List.of(x))) {
      out.add(g.toDoubleArray());
    }
    return out;
  }

  private void assertSameGradients(String what, Function<Tensor, Tensor> f) {
    assertThat(plain).isNotInstanceOf(InPlaceAccumulator.class);
    double[] expected = gradients(inPlace, f).get(0);
    double[] actual = gradients(plain, f).get(0);
    assertThat(actual).hasSameSizeAs(expected);
    for (int i = 0; i < expected.length; i++) {
      assertThat(TOL.accepts(actual[i], expected[i]))
          .as("%s: element %s is %s, in-place boxes give %s (tolerance %s)", what, i, actual[i], expected[i], TOL).isTrue();
    }
  }

  /** A weight per position, so every slice's gradient differs. */
  private static Tensor weighted(Tensor t, int seed) {
    Tensor w = Tensors.uniform(t.backend(), t.dtype(), t.shape(), new Rng(seed), 0.5, 1.5);
    return t.tanh().mul(w).sum();
  }

  @Test
  void timeStepsOfASequenceAreJoinedAlongTheirAxis() {
    assertSameGradients("time steps", x -> {
      Tensor loss = null;
      for (int t = 0; t < 6; t++) {
        Tensor step = weighted(x.sliceAxis(1, t, 1), t);
        loss = loss == null ? step : loss.add(step);
      }
      return loss;
    });
  }

  @Test
  void gapsGetZerosAndAnotherUseOfTheTensorAddsItsGradient() {
    assertSameGradients("gate blocks with a gap, plus x itself", x -> weighted(x.sliceAxis(2, 0, 2), 1)
        .add(weighted(x.sliceAxis(2, 5, 3), 2))
        .add(weighted(x, 3)));
  }

  @Test
  void overlappingSlicesAndSlicesAlongTwoAxesArePaddedAndSummed() {
    assertSameGradients("overlapping", x -> weighted(x.sliceAxis(1, 0, 4), 1).add(weighted(x.sliceAxis(1, 2, 4), 2)));
    assertSameGradients("two axes", x -> weighted(x.sliceAxis(1, 0, 3), 1).add(weighted(x.sliceAxis(2, 1, 4), 2)));
  }

  @Test
  void aSliceOfASliceReachesTheSource() {
    assertSameGradients("nested", x -> weighted(x.sliceAxis(1, 1, 4).sliceAxis(2, 2, 3), 1)
        .add(weighted(x.sliceAxis(1, 1, 4).sliceAxis(2, 5, 3), 2)));
  }
}
