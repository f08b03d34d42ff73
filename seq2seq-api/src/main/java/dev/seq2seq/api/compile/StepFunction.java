package dev.seq2seq.api.compile;

import dev.seq2seq.api.tensor.Tensor;
import java.util.List;

/**
 * A whole computation — a training step (forward, loss, backward, optimizer update) or a decoding
 * step — that a backend may run as one compiled execution.
 *
 * <p>The contract that makes compiling possible:
 *
 * <ul>
 *   <li>The outputs are a function of the inputs and of the <em>state</em> parameters given to
 *       {@link Compiler#compile} only. The function may read state parameters' values and replace
 *       them with {@link dev.seq2seq.api.module.Parameter#set}; after each run every state
 *       parameter holds the value the function gave it.
 *   <li>Any other tensor the function captures is a constant, frozen when the function is first
 *       traced for an input signature.
 *   <li>It must not read tensor values ({@code item()}, {@code toFloatArray()}, ...): while a
 *       backend traces, tensors are symbolic and refuse reads.
 *   <li>It must not draw random numbers: pass random tensors (e.g. dropout masks) as inputs.
 *   <li>Its structure may depend on input shapes (a backend traces once per signature of input
 *       shapes and dtypes) but not on input values.
 * </ul>
 */
@FunctionalInterface
public interface StepFunction {
  /** Computes the outputs from the inputs (and the state parameters). */
  List<Tensor> apply(List<Tensor> inputs);
}
