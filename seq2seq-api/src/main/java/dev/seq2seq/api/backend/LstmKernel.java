package dev.seq2seq.api.backend;

/**
 * The optional backend capability of the LSTM cell's elementwise part in one pass forward and one
 * backward, instead of the dozen kernels (slices, three sigmoids, two tanh, products and sums) and
 * their backward rules that autodiff otherwise records per time step.
 *
 * <p>From the gate pre-activations {@code gates = [a_i, a_f, a_g, a_o]} ({@code [batch, 4H]}, the
 * sum of both projections) and the cell state {@code c} ({@code [batch, H]}):
 *
 * <pre>
 *   i = sigmoid(a_i)   f = sigmoid(a_f)   g = tanh(a_g)   o = sigmoid(a_o)
 *   c' = f * c + i * g          h' = o * tanh(c')          output [h', c']  ([batch, 2H])
 *
 *   backward, from [dh', dc']:
 *   dc = dc' + dh' * o * (1 - tanh(c')^2)
 *   da_i = dc * g * i (1 - i)   da_f = dc * c * f (1 - f)   da_g = dc * i * (1 - g^2)
 *   da_o = dh' * tanh(c') * o (1 - o)      d c = dc * f
 * </pre>
 *
 * <p>The forward rounds like the composition (each operation in the dtype, the activations as the
 * backend's elementwise kernels compute them), so outputs are bit-identical; the backward adds in
 * a fixed order of its own, so gradients agree within the dtype's tolerance.
 */
public interface LstmKernel {
  /**
   * Returns {@code {output, saved}}: {@code output = [h', c']} ({@code [batch, 2H]}) and
   * {@code saved}, what {@link #lstmCellBackward} needs ({@code [batch, 5H]}: i, f, g, o, tanh(c')).
   * Both inputs belong to this backend and share one floating dtype (the caller checks shapes).
   */
  RawTensor[] lstmCell(RawTensor gates, RawTensor cell);

  /**
   * {@link #lstmCell(RawTensor, RawTensor)} of {@code gates = (xProjection + hProjection) + bias},
   * summed in the dtype in that order inside the kernel (bit-identical to adding first):
   * {@code xProjection} and {@code hProjection} are {@code [batch, 4H]}, {@code bias} {@code [4H]}.
   * The gate sums are never written as a tensor of their own - an LSTM step's two elementwise
   * passes over {@code [batch, 4H]} and their arrays. {@code saved} and the backward are those of
   * the two-argument form.
   */
  RawTensor[] lstmCell(RawTensor xProjection, RawTensor hProjection, RawTensor bias, RawTensor cell);

  /** Returns {@code {dGates, dCell}} for the output gradient {@code [dh', dc']} ({@code [batch, 2H]}). */
  RawTensor[] lstmCellBackward(RawTensor outputGradient, RawTensor saved, RawTensor cell);
}
