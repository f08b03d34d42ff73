package dev.seq2seq.api.backend;

/**
 * The optional backend capability of layer normalisation over the last axis in one pass forward and
 * one pass backward, instead of the nine-kernel composition autodiff otherwise records (mean,
 * subtraction, square, mean, addition, square root, division, scale, shift) and its backward.
 *
 * <p>With {@code n} the size of the last axis and, per row, {@code mean = sum(x) / n},
 * {@code var = sum((x - mean)^2) / n} (biased) and {@code rstd = 1 / sqrt(var + eps)}:
 *
 * <pre>
 *   forward:   xhat = (x - mean) * rstd;   y = xhat * weight + bias
 *   backward:  dxhat = g * weight
 *              dx = rstd * (dxhat - sum(dxhat) / n - xhat * sum(dxhat * xhat) / n)
 *              dWeight = sum over rows of g * xhat;   dBias = sum over rows of g
 * </pre>
 *
 * <p>Unlike the other capabilities these do not round like the composition: sums, the statistics
 * and each element are computed in double and rounded once to the dtype, so results agree with the
 * composition within the dtype's tolerance, not bit for bit.
 */
public interface LayerNormKernel {
  /**
   * Returns {@code {y, mean, rstd}}: {@code y} shaped like {@code x [..., n]}, {@code mean} and
   * {@code rstd} shaped {@code [...]} (x's shape without the last axis), all in x's dtype.
   *
   * <p>{@code weight} and {@code bias} are {@code [n]}; all belong to this backend and share one
   * floating dtype (the caller checks).
   */
  RawTensor[] layerNorm(RawTensor x, RawTensor weight, RawTensor bias, double eps);

  /**
   * Returns {@code {dx, dWeight, dBias}} for the output gradient {@code g} (shaped like {@code x}),
   * from the {@code mean} and {@code rstd} that {@link #layerNorm} returned for {@code x}.
   */
  RawTensor[] layerNormBackward(RawTensor g, RawTensor x, RawTensor weight, RawTensor mean, RawTensor rstd);
}
