package dev.seq2seq.api.module;

import static com.google.common.base.Preconditions.checkArgument;

import dev.seq2seq.api.backend.RawTensor;
import dev.seq2seq.api.tensor.Shape;
import dev.seq2seq.api.tensor.Tensor;
import dev.seq2seq.api.tensor.TensorScope;

/**
 * A trainable tensor owned by a {@link Module}: a mutable slot holding an immutable value.
 *
 * <p>{@link #value()} is a leaf that requires grad; optimizers and checkpoint loading replace it
 * with {@link #set(Tensor)}, which keeps the shape and dtype fixed.
 */
public final class Parameter {
  private Tensor value;

  /** A parameter initialised to {@code initial} (its data is shared, not copied). */
  public Parameter(Tensor initial) {
    checkArgument(initial.dtype().isFloating(), "parameter: must be floating point, got %s", initial.dtype().label());
    this.value = initial.requiringGrad();
    TensorScope.untrack(value.raw());
  }

  /** The current value: a grad-requiring leaf. */
  public Tensor value() {
    return value;
  }

  /** The fixed shape. */
  public Shape shape() {
    return value.shape();
  }

  /**
   * Replaces the value (detached from any graph). The new value leaves every {@link TensorScope};
   * the old one is handed to the current scope, which releases it when it closes.
   *
   * @throws IllegalArgumentException if the new value's shape, dtype or backend differs
   */
  public void set(Tensor newValue) {
    checkArgument(newValue.shape().equals(value.shape()) && newValue.dtype() == value.dtype(),
        "parameter: cannot set %s %s to a %s %s", value.dtype().label(), value.shape(), newValue.dtype().label(), newValue.shape());
    checkArgument(newValue.backend() == value.backend(),
        "parameter: value on backend '%s' cannot be replaced by one on '%s'", value.backend().name(), newValue.backend().name());
    RawTensor old = value.raw();
    this.value = newValue.requiringGrad();
    TensorScope.untrack(value.raw());
    if (old != value.raw()) {
      TensorScope.release(old);
    }
  }

  @Override
  public String toString() {
    return "Parameter(" + value.dtype().label() + " " + value.shape() + ")";
  }
}
