package dev.seq2seq.models.optim;

import static com.google.common.base.Preconditions.checkArgument;

import dev.seq2seq.api.tensor.GradMode;
import dev.seq2seq.api.tensor.Tensor;
import dev.seq2seq.api.tensor.Tensors;
import java.util.ArrayList;
import java.util.List;

/**
 * Global-norm gradient clipping (Pascanu et al., "On the difficulty of training recurrent neural
 * networks", 2013), as PyTorch's {@code clip_grad_norm_}:
 *
 * <pre>
 *   n = sqrt(sum_i ||g_i||^2)          c = min(1, maxNorm / (n + 1e-6))          g_i = c * g_i
 * </pre>
 *
 * <p>Computed with tensor operations only (no value read), so it runs inside compiled steps. With
 * {@code maxNorm} infinite ({@code c = 1}) the gradients are returned as they are and only the
 * norm is computed: multiplying every gradient by one was a full pass over them per step.
 */
public final class GradientClipping {
  private GradientClipping() {}

  /** The clipped gradients and the global norm before clipping (a scalar tensor). */
  public record Clipped(List<Tensor> gradients, Tensor norm) {}

  /**
   * Scales {@code gradients} so their global L2 norm is at most {@code maxNorm}
   * ({@link Double#POSITIVE_INFINITY}: no scaling, the same tensors back).
   */
  public static Clipped byGlobalNorm(List<Tensor> gradients, double maxNorm) {
    checkArgument(maxNorm > 0, "clipping: max norm %s must be positive (infinity for none)", maxNorm);
    checkArgument(!gradients.isEmpty(), "clipping: no gradients");
    try (GradMode.Scope ignored = GradMode.disabled()) {
      Tensor squares = null;
      for (Tensor g : gradients) {
        Tensor s = g.mul(g).sum();
        squares = squares == null ? s : squares.add(s);
      }
      Tensor norm = squares.sqrt();
      if (Double.isInfinite(maxNorm)) {
        return new Clipped(List.copyOf(gradients), norm);
      }
      Tensor one = Tensors.scalar(norm.backend(), norm.dtype(), 1.0);
      Tensor coefficient = norm.add(1e-6).div(maxNorm); // 1 / c
      Tensor scale = one.div(coefficient.maximum(one));   // min(1, maxNorm / (n + 1e-6))
      List<Tensor> out = new ArrayList<>(gradients.size());
      gradients.forEach(g -> out.add(g.mul(scale)));
      return new Clipped(out, norm);
    }
  }
}
