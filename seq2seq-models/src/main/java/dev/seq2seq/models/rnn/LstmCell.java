package dev.seq2seq.models.rnn;

import dev.seq2seq.api.backend.Backend;
import dev.seq2seq.api.nn.CellState;
import dev.seq2seq.api.random.Rng;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Tensor;

/**
 * Long short-term memory (Hochreiter and Schmidhuber, 1997, with the forget gate of Gers et al.,
 * 2000), PyTorch's {@code nn.LSTMCell}:
 *
 * <pre>
 *   i  = sigmoid(W_ii x + b_ii + W_hi h + b_hi)
 *   f  = sigmoid(W_if x + b_if + W_hf h + b_hf)
 *   g  = tanh(W_ig x + b_ig + W_hg h + b_hg)
 *   o  = sigmoid(W_io x + b_io + W_ho h + b_ho)
 *   c' = f * c + i * g
 *   h' = o * tanh(c')
 * </pre>
 *
 * <p>The gate blocks are stacked in the order i, f, g, o: {@code weight_ih [4H, in]},
 * {@code weight_hh [4H, H]}, {@code bias_ih [4H]}, {@code bias_hh [4H]}. The state is
 * {@code (h, c)}.
 */
public final class LstmCell extends AbstractCell {
  /** A cell with weights drawn from {@code rng}. */
  public LstmCell(Backend backend, DType dtype, int inputSize, int hiddenSize, Rng rng) {
    super(backend, dtype, inputSize, hiddenSize, 4, 2, rng);
  }

  /** A factory of LSTM cells, for {@link RecurrentLayer}. */
  public static CellFactory factory(Backend backend, DType dtype) {
    return (in, hidden, rng) -> new LstmCell(backend, dtype, in, hidden, rng);
  }

  @Override
  protected CellState advance(Tensor input, CellState state) {
    // [h', c'] from (x W_ih^T + h W_hh^T) + (b_ih + b_hh): the sums and the cell in one fused kernel where the backend has it
    Tensor[] hc = Tensor.lstmCellParts(inputProduct(input), hiddenProduct(state.hidden()), summedBias(), state.part(1));
    return CellState.of(hc[0], hc[1]);
  }
}
