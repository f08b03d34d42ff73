package dev.seq2seq.api.backend;

/**
 * The optional backend capability of one Adam update of one parameter in a single elementwise pass.
 *
 * <p>The optimizer ({@code dev.seq2seq.models.optim.Adam}) uses it instead of composing the update
 * from about a dozen elementwise kernels, each allocating a parameter-sized temporary. With the
 * scalars already in the tensors' dtype ({@code b1 = beta1}, {@code c1 = 1 - beta1},
 * {@code b2 = beta2}, {@code c2 = 1 - beta2}, each rounded to the dtype), it computes
 *
 * <pre>
 *   m' = m * b1 + g * c1
 *   v' = v * b2 + (g * g) * c2
 *   w' = w - (m' / (sqrt(v') / sqrtCorrection2 + eps)) * stepSize
 * </pre>
 *
 * <p>evaluated in exactly this order in the dtype, rounding after each operation as the composition
 * does, so a backend gives the same numbers with or without it.
 */
public interface AdamKernel {
  /**
   * One update: returns new tensors {@code {w', m', v'}}; the inputs are not modified.
   *
   * <p>{@code w}, {@code g}, {@code m} and {@code v} belong to this backend and share one shape and
   * one floating dtype (the caller checks). The scalar arguments are given as doubles holding values
   * of that dtype.
   */
  RawTensor[] adamStep(RawTensor w, RawTensor g, RawTensor m, RawTensor v,
      double b1, double c1, double b2, double c2, double eps, double sqrtCorrection2, double stepSize);
}
