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
 * Gradients on a backend without {@link InPlaceAccumulator} (as a graph being built) equal those the
 * in-place sums give on the same kernels: slices' gradients joined by one concatenation (or padded
 * and summed), a weight's contributions from many products summed (where ejml's GEMM adds them
 * into one sum), and a table's gradients from many gathers summed (where ejml scatters them into
 * one sum).
 */
class PlainBackendGradientsTest {
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
    return gradients(backend, (x, w) -> f.apply(x));
  }

  private List<double[]> gradients(Backend backend, java.util.function.BiFunction<Tensor, Tensor, Tensor> f) {
    Tensor x = Tensors.uniform(backend, DType.FLOAT64, Shape.of(3, 6, 8), new Rng(5), -1, 1).requiringGrad();
    Tensor w = Tensors.uniform(backend, DType.FLOAT64, Shape.of(5, 8), new Rng(6), -1, 1).requiringGrad();
    Tensor loss;
    try (GradMode.Scope ignored = GradMode.enabled()) {
      loss = f.apply(x, w);
    }
    List<double[]> out = new ArrayList<>();
    for (Tensor g : Gradients.of(loss, List.of(x, w))) {
      out.add(g.toDoubleArray());
    }
    return out;
  }

  private void assertSameGradients(String what, Function<Tensor, Tensor> f) {
    assertSameGradients(what, (x, w) -> f.apply(x));
  }

  private void assertSameGradients(String what, java.util.function.BiFunction<Tensor, Tensor, Tensor> f) {
    assertThat(plain).isNotInstanceOf(InPlaceAccumulator.class);
    List<double[]> expected = gradients(inPlace, f);
    List<double[]> actual = gradients(plain, f);
    for (int k = 0; k < 2; k++) {
      assertThat(actual.get(k)).hasSameSizeAs(expected.get(k));
      for (int i = 0; i < expected.get(k).length; i++) {
        double a = actual.get(k)[i];
        double e = expected.get(k)[i];
        assertThat(TOL.accepts(a, e)).as("%s: d/d%s element %s is %s, in-place sums give %s (tolerance %s)",
            what, k == 0 ? "x" : "w", i, a, e, TOL).isTrue();
      }
    }
  }

  @Test
  void aWeightReadByManyProductsGetsTheSumOfTheirContributions() {
    assertSameGradients("x_t w^T per step, x w^T at once, (x_t w^T) w and w itself", (x, w) -> {
      Tensor loss = weighted(x.matmul(w, false, true), 9); // [3, 6, 8] x [5, 8]^T: a rank-3 left operand
      for (int t = 0; t < 6; t++) {
        Tensor xt = x.sliceAxis(1, t, 1).reshape(3, 8);
        Tensor y = xt.matmul(w, false, true); // [3, 5]
        loss = loss.add(weighted(y, t)).add(weighted(y.matmul(w), 20 + t)); // and w not transposed
      }
      return loss.add(weighted(w, 30));
    });
  }

  @Test
  void keysAndValuesReadAtEveryStepGetTheSumOfTheirBatchedContributions() {
    // x [3, 6, 8] as an attention's keys and values over 6 positions, queried at 5 steps; w's rows as queries
    assertSameGradients("q_t x^T and a_t x per step, batched, plus x itself", (x, w) -> {
      Tensor loss = weighted(x, 70);
      for (int t = 0; t < 5; t++) {
        Tensor q = w.sliceAxis(0, t, 1).reshape(1, 1, 8).mul(Tensors.ones(x.backend(), x.dtype(), Shape.of(3, 1, 1)));
        Tensor scores = q.matmul(x, false, true); // [3, 1, 6]: x transposed
        Tensor context = scores.softmax(-1).matmul(x); // [3, 1, 8]: x as it is
        loss = loss.add(weighted(context, 80 + t));
      }
      return loss;
    });
  }

  @Test
  void aTableGatheredAtEveryStepGetsTheSumOfItsScatteredGradients() {
    assertSameGradients("rows of w gathered per step with repeats, and w in a product", (x, w) -> {
      Tensor loss = weighted(x.matmul(w, false, true), 40);
      for (int t = 0; t < 6; t++) {
        Tensor ids = Tensors.of(w.backend(), new int[] {t % 5, 4, (2 * t) % 5, 4}, 4);
        loss = loss.add(weighted(w.gather(ids, 0), 50 + t)); // [4, 8]: row 4 twice per step
      }
      return loss.add(weighted(w.gather(Tensors.of(w.backend(), new int[] {1, 3, 3}, 3), 1), 60)); // columns
    });
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
