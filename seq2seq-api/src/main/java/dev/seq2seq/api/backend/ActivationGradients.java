package dev.seq2seq.api.backend;

/**
 * The optional backend capability of computing the backward of sigmoid and tanh (from the forward
 * output {@code y}) and of ReLU (from its input {@code x}) in one elementwise pass with the output
 * gradient {@code g}.
 *
 * <p>Autodiff ({@code dev.seq2seq.api.tensor.Primitives}) uses it instead of composing the same
 * formulas from four elementwise kernels (three temporaries and a scalar per use):
 *
 * <pre>
 *   sigmoid:  g * (y * (1 - y))
 *   tanh:     g * (1 - y * y)
 *   relu:     g * (x > 0 ? 1 : 0)
 * </pre>
 *
 * <p>Implementations evaluate exactly these expressions in the tensors' dtype, rounding after each
 * operation as the composition does, so a backend gives the same numbers with or without it.
 */
public interface ActivationGradients {
  /**
   * {@code g * (y * (1 - y))} elementwise, where {@code y = sigmoid(x)}.
   *
   * <p>Both tensors belong to this backend and have one shape and one floating dtype (the caller
   * checks); the result is a new tensor of that shape and dtype.
   */
  RawTensor sigmoidGradient(RawTensor g, RawTensor y);

  /** {@code g * (1 - y * y)} elementwise, where {@code y = tanh(x)}; arguments as {@link #sigmoidGradient}. */
  RawTensor tanhGradient(RawTensor g, RawTensor y);

  /**
   * {@code g * (x > 0 ? 1 : 0)} elementwise (so {@code -0} where {@code g < 0} and NaN where {@code g}
   * is NaN, as the product gives), where {@code x} is the input of {@code relu}; arguments as
   * {@link #sigmoidGradient}.
   */
  RawTensor reluGradient(RawTensor g, RawTensor x);
}
