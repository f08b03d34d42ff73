package dev.seq2seq.models.rnn;

import dev.seq2seq.api.backend.Backend;
import dev.seq2seq.api.nn.CellState;
import dev.seq2seq.api.random.Rng;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Tensor;

/**
 * The gated recurrent unit (Cho et al., "Learning Phrase Representations using RNN
 * Encoder-Decoder for Statistical Machine Translation", 2014), PyTorch's {@code nn.GRUCell}:
 *
 * <pre>
 *   r  = sigmoid(W_ir x + b_ir + W_hr h + b_hr)
 *   z  = sigmoid(W_iz x + b_iz + W_hz h + b_hz)
 *   n  = tanh(W_in x + b_in + r * (W_hn h + b_hn))
 *   h' = (1 - z) * n + z * h
 * </pre>
 *
 * <p>The gate blocks are stacked in the order r, z, n: {@code weight_ih [3H, in]},
 * {@code weight_hh [3H, H]}, {@code bias_ih [3H]}, {@code bias_hh [3H]}. The reset gate multiplies
 * {@code W_hn h + b_hn} (bias included), as in PyTorch and cuDNN. The state is {@code h} alone.
 */
public final class GruCell extends AbstractCell {
  /** A cell with weights drawn from {@code rng}. */
  public GruCell(Backend backend, DType dtype, int inputSize, int hiddenSize, Rng rng) {
    super(backend, dtype, inputSize, hiddenSize, 3, 1, rng);
  }

  /** A factory of GRU cells, for {@link RecurrentLayer}. */
  public static CellFactory factory(Backend backend, DType dtype) {
    return (in, hidden, rng) -> new GruCell(backend, dtype, in, hidden, rng);
  }

  @Override
  protected CellState advance(Tensor input, CellState state) {
    Tensor h = state.hidden();
    // gi = x W_ih^T + b_ih and gh = h W_hh^T + b_hh, their biases added in one fused kernel with the cell where the backend has it
    return CellState.of(Tensor.gruCell(inputProduct(input), inputBias(), hiddenProduct(h), hiddenBias(), h));
  }
}
