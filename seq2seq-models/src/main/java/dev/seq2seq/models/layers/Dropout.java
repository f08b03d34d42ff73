package dev.seq2seq.models.layers;

import static com.google.common.base.Preconditions.checkArgument;

import dev.seq2seq.api.module.Module;
import dev.seq2seq.api.random.Rng;
import dev.seq2seq.api.tensor.Shape;
import dev.seq2seq.api.tensor.Tensor;
import dev.seq2seq.api.tensor.Tensors;

/**
 * Inverted dropout (Srivastava et al., "Dropout: A Simple Way to Prevent Neural Networks from
 * Overfitting", JMLR 2014), PyTorch's {@code nn.Dropout(p)}:
 *
 * <pre>  y = x * m / (1 - p),   m ~ Bernoulli(1 - p) elementwise</pre>
 *
 * <p>in training mode; the identity when the module is not training or {@code p = 0}. With
 * {@code p = 1} every element is dropped (zeros). Masks are drawn from the {@link Rng} given at
 * construction, which advances with every call, so a seed fixes the whole sequence of masks on
 * every backend.
 */
public final class Dropout extends Module {
  private final double p;
  private final Rng rng;

  /**
   * Drops elements with probability {@code p}, drawing masks from {@code rng}.
   *
   * @throws IllegalArgumentException if {@code p} is outside {@code [0, 1]}
   */
  public Dropout(double p, Rng rng) {
    checkArgument(p >= 0 && p <= 1, "dropout: probability %s outside [0, 1]", p);
    this.p = p;
    this.rng = registerRandom("rng", rng);
  }

  /** Applies dropout to {@code x} (any shape) in training mode; returns {@code x} itself otherwise. */
  public Tensor forward(Tensor x) {
    if (!isTraining() || p == 0) {
      return x;
    }
    if (p == 1) {
      Tensor zero = Tensors.zeros(x.backend(), x.dtype(), Shape.scalar());
      return Tensor.where(zero, x, zero);
    }
    Tensor keep = Tensors.bernoulli(x.backend(), x.dtype(), x.shape(), rng, 1 - p);
    return x.mul(keep.div(1 - p));
  }

  /** The drop probability. */
  public double p() {
    return p;
  }
}
