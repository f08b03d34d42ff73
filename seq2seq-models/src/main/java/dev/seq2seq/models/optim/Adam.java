package dev.seq2seq.models.optim;

import static com.google.common.base.Preconditions.checkArgument;

import dev.seq2seq.api.backend.AdamKernel;
import dev.seq2seq.api.backend.RawTensor;
import dev.seq2seq.api.module.Parameter;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Shape;
import dev.seq2seq.api.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Adam (Kingma and Ba, 2015) and AdamW (Loshchilov and Hutter, "Decoupled Weight Decay
 * Regularization", 2019), as PyTorch's {@code torch.optim.Adam} / {@code AdamW}:
 *
 * <pre>
 *   t = t + 1
 *   Adam:  g = grad + wd * p               AdamW:  p = p * (1 - lr * wd),  g = grad
 *   m = b1 * m + (1 - b1) * g
 *   v = b2 * v + (1 - b2) * g^2
 *   p = p - (lr / (1 - b1^t)) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
 * </pre>
 *
 * <p>Slots: {@code step} (a scalar), {@code exp_avg.<name>} ({@code m}), {@code exp_avg_sq.<name>}
 * ({@code v}). The bias corrections are computed from the step slot with tensor operations, so a
 * compiled step stays correct as {@code t} grows.
 */
public final class Adam extends Optimizer {
  private final double beta1;
  private final double beta2;
  private final double eps;
  private final double weightDecay;
  private final boolean decoupled;
  private final Parameter step;
  private final List<Parameter> m = new ArrayList<>();
  private final List<Parameter> v = new ArrayList<>();

  private Adam(Map<String, Parameter> parameters, double beta1, double beta2, double eps, double weightDecay, boolean decoupled) {
    super(parameters);
    checkArgument(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1, "adam: betas (%s, %s) outside [0, 1)", beta1, beta2);
    checkArgument(eps > 0, "adam: eps %s must be positive", eps);
    checkArgument(weightDecay >= 0, "adam: weight decay %s is negative", weightDecay);
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = eps;
    this.weightDecay = weightDecay;
    this.decoupled = decoupled;
    Parameter first = parameters.values().iterator().next();
    this.step = slot("step", Shape.scalar(), first);
    parameters.forEach((name, p) -> {
      m.add(slot("exp_avg." + name, p));
      v.add(slot("exp_avg_sq." + name, p));
    });
  }

  /** Adam with L2 weight decay added to the gradient (PyTorch's {@code Adam(weight_decay=wd)}). */
  public static Adam adam(Map<String, Parameter> parameters, double beta1, double beta2, double eps, double weightDecay) {
    return new Adam(parameters, beta1, beta2, eps, weightDecay, false);
  }

  /** Adam with the defaults {@code b1 = 0.9, b2 = 0.999, eps = 1e-8}, no weight decay. */
  public static Adam adam(Map<String, Parameter> parameters) {
    return adam(parameters, 0.9, 0.999, 1e-8, 0);
  }

  /** AdamW: weight decay applied to the weights directly, decoupled from the gradient. */
  public static Adam adamW(Map<String, Parameter> parameters, double beta1, double beta2, double eps, double weightDecay) {
    return new Adam(parameters, beta1, beta2, eps, weightDecay, true);
  }

  @Override
  protected void update(List<Tensor> gradients, Tensor lr) {
    Tensor t = step.value().add(1.0);
    step.set(t);
    Tensor correction1 = t.mul(Math.log(beta1)).exp().neg().add(1.0); // 1 - b1^t
    Tensor correction2 = t.mul(Math.log(beta2)).exp().neg().add(1.0); // 1 - b2^t
    Tensor stepSize = lr.div(correction1);
    Tensor sqrtCorrection2 = correction2.sqrt();
    int i = 0;
    for (Parameter p : parameters().values()) {
      Tensor w = p.value();
      Tensor g = gradients.get(i);
      if (weightDecay > 0) {
        if (decoupled) {
          w = w.mul(lr.mul(weightDecay).neg().add(1.0));
        } else {
          g = g.add(w.mul(weightDecay));
        }
      }
      AdamKernel kernel = fusedKernel(w, g, stepSize, sqrtCorrection2);
      if (kernel != null) {
        double[] scalars = inDtype(w, beta1, 1 - beta1, beta2, 1 - beta2, eps);
        RawTensor[] out = kernel.adamStep(w.raw(), g.raw(), m.get(i).value().raw(), v.get(i).value().raw(),
            scalars[0], scalars[1], scalars[2], scalars[3], scalars[4], sqrtCorrection2.raw().toDoubleArray()[0],
            stepSize.raw().toDoubleArray()[0]);
        m.get(i).set(Tensor.wrap(w.backend(), out[1]));
        v.get(i).set(Tensor.wrap(w.backend(), out[2]));
        p.set(Tensor.wrap(w.backend(), out[0]));
        i++;
        continue;
      }
      Tensor mi = m.get(i).value().mul(beta1).add(g.mul(1 - beta1));
      Tensor vi = v.get(i).value().mul(beta2).add(g.mul(g).mul(1 - beta2));
      m.get(i).set(mi);
      v.get(i).set(vi);
      Tensor denominator = vi.sqrt().div(sqrtCorrection2).add(eps);
      p.set(w.sub(mi.div(denominator).mul(stepSize)));
      i++;
    }
  }

  /**
   * The backend's one-pass {@link AdamKernel} when it has one and it applies: same dtype and shape
   * for weight, gradient and slots, and single-element step-size and correction tensors.
   */
  private AdamKernel fusedKernel(Tensor w, Tensor g, Tensor stepSize, Tensor sqrtCorrection2) {
    if (!(w.backend() instanceof AdamKernel) || g.backend() != w.backend() || g.dtype() != w.dtype()
        || !g.shape().equals(w.shape()) || stepSize.size() != 1 || sqrtCorrection2.size() != 1
        || stepSize.dtype() != w.dtype() || sqrtCorrection2.dtype() != w.dtype()) {
      return null;
    }
    return (AdamKernel) w.backend();
  }

  /** The values rounded to {@code like}'s dtype, as the scalar tensors of the composition hold them. */
  private static double[] inDtype(Tensor like, double... values) {
    double[] out = values.clone();
    if (like.dtype() == DType.FLOAT32) {
      for (int i = 0; i < out.length; i++) {
        out[i] = (float) out[i];
      }
    }
    return out;
  }
}
