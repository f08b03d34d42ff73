package dev.seq2seq.api.backend;

/**
 * The optional backend capability of the GRU cell's elementwise part in one pass forward and one
 * backward, instead of the dozen kernels and backward rules autodiff otherwise records per time step.
 *
 * <p>From the two projections {@code gi = [gi_r, gi_z, gi_n]} and {@code gh = [gh_r, gh_z, gh_n]}
 * (each {@code [batch, 3H]}, biases included) and the hidden state {@code h} ({@code [batch, H]}):
 *
 * <pre>
 *   r = sigmoid(gi_r + gh_r)   z = sigmoid(gi_z + gh_z)   n = tanh(gi_n + r * gh_n)
 *   h' = n + z * (h - n)
 *
 *   backward, from dh':
 *   dn = dh' * (1 - z) * (1 - n^2)            d gi_n = dn        d gh_n = dn * r
 *   d gi_r = d gh_r = dn * gh_n * r (1 - r)   d gi_z = d gh_z = dh' * (h - n) * z (1 - z)
 *   d h = dh' * z
 * </pre>
 *
 * <p>The forward rounds like the composition (each operation in the dtype, the activations as the
 * backend's elementwise kernels compute them), so outputs are bit-identical; the backward adds in
 * a fixed order of its own, so gradients agree within the dtype's tolerance.
 */
public interface GruKernel {
  /**
   * Returns {@code {h', saved}}: {@code h'} ({@code [batch, H]}) and {@code saved}, what
   * {@link #gruCellBackward} needs ({@code [batch, 4H]}: r, z, n, gh_n). All inputs belong to this
   * backend and share one floating dtype (the caller checks shapes).
   */
  RawTensor[] gruCell(RawTensor inputProjection, RawTensor hiddenProjection, RawTensor hidden);

  /**
   * {@link #gruCell(RawTensor, RawTensor, RawTensor)} of {@code gi = xProduct + inputBias} and
   * {@code gh = hProduct + hiddenBias} ({@code [batch, 3H]} plus {@code [3H]} each), summed in the
   * dtype inside the kernel (bit-identical to adding first), so the two broadcast bias additions of
   * a step are not passes of their own. {@code saved} and the backward are those of the
   * three-argument form.
   */
  RawTensor[] gruCell(RawTensor xProduct, RawTensor inputBias, RawTensor hProduct, RawTensor hiddenBias, RawTensor hidden);

  /** Returns {@code {dInputProjection, dHiddenProjection, dHidden}} for the output gradient {@code dh'}. */
  RawTensor[] gruCellBackward(RawTensor outputGradient, RawTensor saved, RawTensor hidden);
}
