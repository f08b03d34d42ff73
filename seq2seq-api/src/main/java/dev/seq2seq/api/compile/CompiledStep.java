package dev.seq2seq.api.compile;

import dev.seq2seq.api.tensor.Tensor;
import java.util.List;

/**
 * A {@link StepFunction} prepared by a backend: {@link #run} has the same observable effect as
 * {@code function.apply(inputs)} — the same outputs and the same new state values, within the
 * backend's tolerances — however the backend executes it.
 */
public interface CompiledStep extends AutoCloseable {
  /**
   * Runs the step; the outputs are new constant tensors (no gradient history) owned by the current
   * {@link dev.seq2seq.api.tensor.TensorScope}, if any.
   */
  List<Tensor> run(List<Tensor> inputs);

  /** Releases compiled programs and device state; the step must not be run afterwards. */
  @Override
  void close();
}
