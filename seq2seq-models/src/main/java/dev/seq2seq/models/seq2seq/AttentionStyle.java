package dev.seq2seq.models.seq2seq;

/** How an RNN decoder uses its attention. */
public enum AttentionStyle {
  /** No attention: the encoder's final state, bridged to the decoder, is the only context. */
  NONE,
  /**
   * Bahdanau et al. (2015): the previous decoder state {@code s_{t-1}} queries the encoder
   * outputs; the context {@code c_t} joins the embedded input token, and the output layer reads
   * {@code [s_t; c_t]}.
   */
  BAHDANAU,
  /**
   * Luong et al. (2015): the current state {@code h_t} queries; the attentional hidden state
   * {@code h~_t = tanh(W_c [c_t; h_t])} feeds the output layer and, as input feeding, the next step's input.
   */
  LUONG
}
