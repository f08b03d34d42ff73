/**
 * Recurrent networks: the cells {@link dev.seq2seq.models.rnn.RnnCell},
 * {@link dev.seq2seq.models.rnn.LstmCell} and {@link dev.seq2seq.models.rnn.GruCell} (each a
 * {@link dev.seq2seq.api.nn.Cell} and a {@link dev.seq2seq.api.module.Module}), and
 * {@link dev.seq2seq.models.rnn.RecurrentLayer}, which runs any cell over time: several layers,
 * both directions, dropout between layers and padded batches of variable-length sequences.
 *
 * <p>Parameter names, shapes, gate orders and initialisation follow PyTorch's {@code nn.RNNCell},
 * {@code nn.LSTMCell}, {@code nn.GRUCell} and, for the layer, {@code nn.RNN}, {@code nn.LSTM},
 * {@code nn.GRU} ({@code weight_ih_l0}, {@code bias_hh_l1_reverse}, ...), so weights can be
 * exchanged with PyTorch. A user's own cell plugs in through a {@link dev.seq2seq.models.rnn.CellFactory}.
 */
package dev.seq2seq.models.rnn;
