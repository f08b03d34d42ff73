package dev.seq2seq.models.optim;

import static com.google.common.base.Preconditions.checkArgument;

import dev.seq2seq.api.module.Parameter;
import dev.seq2seq.api.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Stochastic gradient descent with optional momentum and L2 weight decay, as PyTorch's
 * {@code torch.optim.SGD} (dampening 0):
 *
 * <pre>
 *   g = grad + wd * p
 *   b = mu * b + g            (b starts at 0, so the first step has b = g)
 *   p = p - lr * (nesterov ? g + mu * b : b)      (mu = 0: p = p - lr * g)
 * </pre>
 *
 * <p>Slots: {@code momentum_buffer.<name>} when {@code mu > 0}.
 */
public final class Sgd extends Optimizer {
  private final double momentum;
  private final double weightDecay;
  private final boolean nesterov;
  private final List<Parameter> buffers = new ArrayList<>();

  /**
   * @param momentum {@code mu} in {@code [0, 1)}
   * @param weightDecay L2 coefficient {@code wd >= 0}
   * @param nesterov Nesterov momentum (needs {@code mu > 0})
   */
  public Sgd(Map<String, Parameter> parameters, double momentum, double weightDecay, boolean nesterov) {
    super(parameters);
    checkArgument(momentum >= 0 && momentum < 1, "sgd: momentum %s outside [0, 1)", momentum);
    checkArgument(weightDecay >= 0, "sgd: weight decay %s is negative", weightDecay);
    checkArgument(!nesterov || momentum > 0, "sgd: nesterov needs momentum > 0");
    this.momentum = momentum;
    this.weightDecay = weightDecay;
    this.nesterov = nesterov;
    if (momentum > 0) {
      parameters.forEach((name, p) -> buffers.add(slot("momentum_buffer." + name, p)));
    }
  }

  /** Plain SGD. */
  public Sgd(Map<String, Parameter> parameters) {
    this(parameters, 0, 0, false);
  }

  @Override
  protected void update(List<Tensor> gradients, Tensor lr) {
    int i = 0;
    for (Parameter p : parameters().values()) {
      Tensor w = p.value();
      Tensor g = gradients.get(i);
      if (weightDecay > 0) {
        g = g.add(w.mul(weightDecay));
      }
      Tensor direction = g;
      if (momentum > 0) {
        Parameter buffer = buffers.get(i);
        Tensor b = buffer.value().mul(momentum).add(g);
        buffer.set(b);
        direction = nesterov ? g.add(b.mul(momentum)) : b;
      }
      p.set(w.sub(direction.mul(lr)));
      i++;
    }
  }
}
