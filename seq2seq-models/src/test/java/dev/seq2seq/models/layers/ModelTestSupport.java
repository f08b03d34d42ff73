package dev.seq2seq.models.layers;

import dev.seq2seq.api.backend.Backend;
import dev.seq2seq.api.backend.Backends;
import dev.seq2seq.api.conformance.ConformanceSupport;
import dev.seq2seq.api.module.Module;
import dev.seq2seq.api.module.Parameter;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Tensor;

/**
 * The conformance kit's helpers on the {@code ejml} backend (including
 * {@link #checkParameterGradients} for module parameters), plus seeded inputs and parameters.
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
}
