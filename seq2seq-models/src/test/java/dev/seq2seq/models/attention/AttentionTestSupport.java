package dev.seq2seq.models.attention;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seq2seq.api.backend.Backend;
import dev.seq2seq.api.backend.Backends;
import dev.seq2seq.api.conformance.ConformanceSupport;
import dev.seq2seq.api.conformance.Tolerance;
import dev.seq2seq.api.conformance.Tolerances;
import dev.seq2seq.api.module.Module;
import dev.seq2seq.api.module.Parameter;
import dev.seq2seq.api.nn.Attention;
import dev.seq2seq.api.nn.AttentionResult;
import dev.seq2seq.api.random.Rng;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Shape;
import dev.seq2seq.api.tensor.Tensor;
import dev.seq2seq.api.tensor.Tensors;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Shared checks of the attention tests, on the EJML backend. */
abstract class AttentionTestSupport extends ConformanceSupport {
  @Override
  protected Backend backend() {
    return Backends.get("ejml");
  }

  /** Float64 {@code [B, T, D]} seeded inputs in {@code [-1, 1)}. */
  Tensor input(long seed, int... dims) {
    return t(DType.FLOAT64, random(seed, -1, 1, dims), dims);
  }

  /**
   * Gradient check of the context and the weights (both flattened, concatenated) with respect to
   * the query, keys and values ({@link #checkGradients}) and to every parameter of {@code attention}
   * ({@link #checkParameterGradients}, through the module's own parameters, whose current values are
   * the point of the check; skipped only for a parameter-free attention).
   */
  <A extends Module & Attention> void checkAttentionGradients(String what, A attention, Tensor query, Tensor keys,
      Tensor values, Tensor mask) {
    checkGradients(what + " (inputs: query, keys, values)",
        in -> flatten(attention.attend(in.get(0), in.get(1), in.get(2), mask)), query, keys, values);
    if (!attention.namedParameters().isEmpty()) {
      checkParameterGradients(what + " (parameters)", attention, () -> flatten(attention.attend(query, keys, values, mask)));
    }
  }

  private static Tensor flatten(AttentionResult r) {
    return Tensor.concat(List.of(r.context().reshape(-1), r.weights().reshape(-1)), 0);
  }

  /**
   * Asserts the weights {@code [B, Tq, S]} are non-negative, exactly 0 where {@code mask} (broadcast)
   * is 0, and sum to 1 over each row with an unmasked key (0 over a fully masked row).
   */
  static void assertValidWeights(Tensor weights, Tensor mask) {
    Shape s = weights.shape();
    int b = s.dim(0);
    int tq = s.dim(1);
    int keys = s.dim(2);
    double[] w = weights.toDoubleArray();
    double[] m = mask == null ? null : mask.add(weights.mul(0.0)).toDoubleArray(); // broadcast to [B, Tq, S]
    Tolerance tol = Tolerances.of(weights.dtype());
    for (int i = 0; i < b * tq; i++) {
      double sum = 0;
      boolean anyOpen = false;
      for (int k = 0; k < keys; k++) {
        double wk = w[i * keys + k];
        boolean open = m == null || m[i * keys + k] != 0;
        anyOpen |= open;
        assertThat(wk).as("weight [row %d, key %d] of %s", i, k, weights).isGreaterThanOrEqualTo(0.0);
        if (!open) {
          assertThat(wk).as("masked weight [row %d, key %d]", i, k).isEqualTo(0.0);
        }
        sum += wk;
      }
      double expected = anyOpen ? 1.0 : 0.0;
      assertThat(tol.accepts(sum, expected)).as("row %d sums to %s, expected %s (tolerance %s)", i, sum, expected, tol).isTrue();
    }
  }

  /**
   * Asserts that {@code module}, built in float64 from {@code new Rng(seed)} which construction left
   * at {@code after}, holds draws from that stream in parameter order: each parameter is
   * {@code U(-bound, bound)} of its shape with the bound given by {@code nameThenBound} (name, bound,
   * name, bound, ...; a bound of 0 means zeros, drawing nothing), and construction drew nothing else.
   */
  void assertDrawnInOrder(Module module, long seed, Rng after, Object... nameThenBound) {
    Map<String, Double> bounds = new LinkedHashMap<>();
    for (int i = 0; i < nameThenBound.length; i += 2) {
      bounds.put((String) nameThenBound[i], ((Number) nameThenBound[i + 1]).doubleValue());
    }
    assertThat(module.namedParameters().keySet()).containsExactlyElementsOf(bounds.keySet());
    Rng reference = new Rng(seed);
    bounds.forEach((name, bound) -> {
      Parameter p = module.namedParameters().get(name);
      double[] expected = bound == 0 ? new double[p.shape().size()]
          : Tensors.uniform(backend(), DType.FLOAT64, p.shape(), reference, -bound, bound).toDoubleArray();
      assertThat(p.value().toDoubleArray()).as("initial %s (seed %s)", name, seed).containsExactly(expected);
    });
    assertThat(after.state()).as("rng state after construction (no other draws)").isEqualTo(reference.state());
  }

  /** Asserts every value lies in {@code [-bound, bound]}. */
  static void assertBounded(double[] values, double bound) {
    for (int i = 0; i < values.length; i++) {
      assertThat(Math.abs(values[i])).as("|value %d| = |%s| within the initialisation bound %s", i, values[i], bound).isLessThanOrEqualTo(bound);
    }
  }

  /** Largest absolute difference between two arrays of equal length. */
  static double maxDeviation(double[] actual, double[] expected) {
    assertThat(actual).hasSameSizeAs(expected);
    double max = 0;
    for (int i = 0; i < actual.length; i++) {
      max = Math.max(max, Math.abs(actual[i] - expected[i]));
    }
    return max;
  }
}
