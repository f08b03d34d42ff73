package dev.seq2seq.models.optim;

import static com.google.common.base.Preconditions.checkArgument;

import dev.seq2seq.api.module.Parameter;
import dev.seq2seq.api.tensor.GradMode;
import dev.seq2seq.api.tensor.Shape;
import dev.seq2seq.api.tensor.Tensor;
import dev.seq2seq.api.tensor.Tensors;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A first-order optimizer over named parameters.
 *
 * <p>All of its state (momentum buffers, moment estimates, the step count) lives in tensor
 * <em>slots</em> ({@link #state()}, named like {@code exp_avg.encoder.embedding.weight}), and the
 * learning rate is a scalar tensor argument: an update is a pure composition of tensor operations,
 * so a whole training step including it can run compiled, and the state can be checkpointed. Updates
 * run with {@link GradMode} disabled and replace each parameter's value.
 */
public abstract class Optimizer {
  private final Map<String, Parameter> parameters;
  private final Map<String, Parameter> state = new LinkedHashMap<>();

  /** An optimizer of {@code parameters} (e.g. {@code module.namedParameters()}), in their order. */
  protected Optimizer(Map<String, Parameter> parameters) {
    checkArgument(!parameters.isEmpty(), "optimizer: no parameters to optimize");
    this.parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
  }

  /** The optimized parameters by name. */
  public final Map<String, Parameter> parameters() {
    return parameters;
  }

  /** The values of the parameters, in order: what to differentiate the loss with respect to. */
  public final List<Tensor> values() {
    List<Tensor> out = new ArrayList<>(parameters.size());
    parameters.values().forEach(p -> out.add(p.value()));
    return out;
  }

  /** Every state slot by name, for checkpoints and compiled steps. */
  public final Map<String, Parameter> state() {
    return Collections.unmodifiableMap(state);
  }

  /** The current value of every state slot by name, e.g. to save in a checkpoint. */
  public final Map<String, Tensor> stateValues() {
    Map<String, Tensor> out = new LinkedHashMap<>();
    state.forEach((name, p) -> out.put(name, p.value()));
    return out;
  }

  /**
   * Restores every state slot from {@code values} (e.g. loaded from a checkpoint).
   *
   * @throws IllegalArgumentException listing missing or unexpected slot names, or a slot whose shape differs
   */
  public final void loadState(Map<String, Tensor> values) {
    checkArgument(values.keySet().equals(state.keySet()),
        "optimizer: state slots %s do not match the saved ones %s", state.keySet(), values.keySet());
    state.forEach((name, p) -> p.set(values.get(name)));
  }

  /** Registers a zero-initialised state slot shaped like {@code like}. */
  protected final Parameter slot(String name, Parameter like) {
    return slot(name, like.shape(), like);
  }

  /** Registers a zero-initialised state slot of {@code shape} on {@code like}'s backend and dtype. */
  protected final Parameter slot(String name, Shape shape, Parameter like) {
    Tensor v = like.value();
    Parameter p = new Parameter(Tensors.zeros(v.backend(), v.dtype(), shape));
    state.put(name, p);
    return p;
  }

  /**
   * Applies one update.
   *
   * @param gradients one per parameter, in the order of {@link #parameters()}
   * @param learningRate a scalar tensor of the parameters' dtype
   */
  public final void step(List<Tensor> gradients, Tensor learningRate) {
    checkArgument(gradients.size() == parameters.size(),
        "optimizer: %s gradients for %s parameters", gradients.size(), parameters.size());
    try (GradMode.Scope ignored = GradMode.disabled()) {
      update(gradients, learningRate);
    }
  }

  /** {@link #step(List, Tensor)} with a constant learning rate. */
  public final void step(List<Tensor> gradients, double learningRate) {
    Tensor any = parameters.values().iterator().next().value();
    step(gradients, Tensors.scalar(any.backend(), any.dtype(), learningRate));
  }

  /** The update rule; gradient recording is off. */
  protected abstract void update(List<Tensor> gradients, Tensor learningRate);
}
