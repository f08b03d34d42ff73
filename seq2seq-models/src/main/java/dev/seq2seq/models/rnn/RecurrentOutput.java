package dev.seq2seq.models.rnn;

import dev.seq2seq.api.nn.CellState;
import dev.seq2seq.api.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * What a {@link RecurrentLayer} returns: the top layer's outputs at every step and the final state
 * of every layer and direction.
 */
public final class RecurrentOutput {
  private final Tensor outputs;
  private final List<CellState> finalStates;
  private final int directions;

  RecurrentOutput(Tensor outputs, List<CellState> finalStates, int directions) {
    this.outputs = outputs;
    this.finalStates = List.copyOf(finalStates);
    this.directions = directions;
  }

  /**
   * {@code [batch, time, H * directions]}: the forward direction's {@code h_t} followed by the
   * reverse direction's; zero at padded steps.
   */
  public Tensor outputs() {
    return outputs;
  }

  /**
   * The final states in PyTorch's {@code h_n} order: index {@code layer * directions + direction}
   * (direction 1 is the reverse one). For a padded sequence the final state is the one after its
   * last real step (forward) or after its first step (reverse).
   */
  public List<CellState> finalStates() {
    return finalStates;
  }

  /** The final state of one layer and direction (0 forward, 1 reverse). */
  public CellState finalState(int layer, int direction) {
    return finalStates.get(layer * directions + direction);
  }

  /**
   * State part {@code part} (0 = h, 1 = c) of every layer and direction stacked like PyTorch's
   * {@code h_n} / {@code c_n}: {@code [layers * directions, batch, H]}.
   */
  public Tensor stackedFinal(int part) {
    List<Tensor> parts = new ArrayList<>(finalStates.size());
    for (CellState s : finalStates) {
      parts.add(s.part(part).unsqueeze(0));
    }
    return Tensor.concat(parts, 0);
  }
}
