package dev.seq2seq.models.layers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seq2seq.api.backend.Backend;
import dev.seq2seq.api.backend.Backends;
import dev.seq2seq.api.conformance.ConformanceSupport;
import dev.seq2seq.api.conformance.Tolerances;
import dev.seq2seq.api.module.Module;
import dev.seq2seq.api.module.Parameter;
import dev.seq2seq.api.random.Rng;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.GradMode;
import dev.seq2seq.api.tensor.Gradients;
import dev.seq2seq.api.tensor.Tensor;
import dev.seq2seq.api.tensor.Tensors;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The conformance kit's helpers on the {@code ejml} backend, plus a finite-difference check of a
 * module's parameter gradients.
 *
 * <p>{@link #checkGradients} cannot reach parameters: {@link Parameter#set} re-wraps its argument
 * as a new leaf, so the checker's own leaves never enter the graph. {@link #checkParameterGradients}
 * does the same check (same weighting, step and tolerance) with the parameters' current leaves.
 */
public abstract class ModelTestSupport extends ConformanceSupport {
  @Override
  protected Backend backend() {
    return Backends.get("ejml");
  }

  /** A float64 tensor of seeded values in {@code [-1, 1)}. */
  protected Tensor randn(long seed, int... dims) {
    return t(DType.FLOAT64, random(seed, -1, 1, dims), dims);
  }

  /** Replaces every parameter of {@code module} with seeded values in {@code [-scale, scale)}. */
  protected void randomizeParameters(Module module, long seed, double scale) {
    long s = seed;
    for (Parameter p : module.parameters()) {
      int[] dims = p.shape().toArray();
      p.set(t(p.value().dtype(), random(s++, -scale, scale, dims), dims));
    }
  }

  /**
   * Checks {@code d sum(f() * w) / d p} for every parameter {@code p} of {@code module} against
   * float64 central differences, as {@link #checkGradients} does for inputs.
   */
  protected void checkParameterGradients(String what, Module module, Supplier<Tensor> f) {
    Map<String, Parameter> named = module.namedParameters();
    List<Tensor> leaves = new ArrayList<>();
    named.values().forEach(p -> leaves.add(p.value()));
    Tensor out = f.get();
    Tensor w = Tensors.uniform(backend(), DType.FLOAT64, out.shape(), new Rng(99), 0.5, 1.5);
    List<Tensor> analytic = Gradients.of(out.mul(w).sum(), leaves);
    double h = Tolerances.FINITE_DIFFERENCE_STEP;
    try (GradMode.Scope ignored = GradMode.disabled()) {
      int i = 0;
      for (Map.Entry<String, Parameter> e : named.entrySet()) {
        Parameter p = e.getValue();
        Tensor original = p.value();
        int[] dims = p.shape().toArray();
        double[] x = original.toDoubleArray();
        double[] numeric = new double[x.length];
        for (int j = 0; j < x.length; j++) {
          double saved = x[j];
          x[j] = saved + h;
          p.set(t(DType.FLOAT64, x, dims));
          double plus = f.get().mul(w).sum().item();
          x[j] = saved - h;
          p.set(t(DType.FLOAT64, x, dims));
          double minus = f.get().mul(w).sum().item();
          x[j] = saved;
          numeric[j] = (plus - minus) / (2 * h);
        }
        p.set(original);
        assertThat(analytic.get(i).shape()).as("%s: gradient shape of %s", what, e.getKey()).isEqualTo(p.shape());
        assertClose(analytic.get(i).toDoubleArray(), numeric, Tolerances.GRADIENT_CHECK,
            what + ": d/d " + e.getKey() + " (autodiff vs central differences, step " + h + ")");
        i++;
      }
    }
  }
}
