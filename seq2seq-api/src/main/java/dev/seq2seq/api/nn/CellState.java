package dev.seq2seq.api.nn;

import static com.google.common.base.Preconditions.checkArgument;

import dev.seq2seq.api.tensor.Tensor;
import java.util.List;

/**
 * The recurrent state a {@link Cell} carries between time steps: one or more tensors of shape
 * {@code [batch, hiddenSize]}. The first is the hidden state {@code h}; an LSTM adds its memory
 * cell {@code c} as the second.
 */
public final class CellState {
  private final List<Tensor> parts;

  private CellState(List<Tensor> parts) {
    checkArgument(!parts.isEmpty(), "cell state: needs at least the hidden state");
    this.parts = List.copyOf(parts);
  }

  /** A state made of {@code h} and optional further parts (e.g. {@code c}). */
  public static CellState of(Tensor hidden, Tensor... more) {
    Tensor[] all = new Tensor[more.length + 1];
    all[0] = hidden;
    System.arraycopy(more, 0, all, 1, more.length);
    return new CellState(List.of(all));
  }

  /** A state from its parts, hidden state first. */
  public static CellState of(List<Tensor> parts) {
    return new CellState(parts);
  }

  /** The hidden state {@code h}, {@code [batch, hiddenSize]}. */
  public Tensor hidden() {
    return parts.get(0);
  }

  /** Part {@code i} (0 = h, 1 = c for an LSTM). */
  public Tensor part(int i) {
    return parts.get(i);
  }

  /** All parts, hidden state first. */
  public List<Tensor> parts() {
    return parts;
  }

  /** Number of parts. */
  public int size() {
    return parts.size();
  }
}
