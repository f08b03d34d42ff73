package dev.seq2seq.models.rnn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seq2seq.api.conformance.Tolerances;
import dev.seq2seq.api.nn.CellState;
import dev.seq2seq.api.random.Rng;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Gradients;
import dev.seq2seq.api.tensor.Shape;
import dev.seq2seq.api.tensor.Tensor;
import dev.seq2seq.api.tensor.Tensors;
import dev.seq2seq.models.layers.ModelTestSupport;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecurrentLayerTest extends ModelTestSupport {
  private RecurrentLayer layer(CellFactory factory, int in, int hidden, int layers, boolean bidirectional, double dropout) {
    return RecurrentLayer.builder().setCell(factory).setInputSize(in).setHiddenSize(hidden)
        .optNumLayers(layers).optBidirectional(bidirectional).optDropout(dropout).setRng(new Rng(42)).build();
  }

  private CellFactory lstm() {
    return LstmCell.factory(backend(), DType.FLOAT64);
  }

  @Test
  void parameterNamesArePyTorchs() {
    RecurrentLayer layer = layer(GruCell.factory(backend(), DType.FLOAT64), 3, 4, 2, true, 0);
    assertThat(layer.namedParameters().keySet()).containsExactly(
        "weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0",
        "weight_ih_l0_reverse", "weight_hh_l0_reverse", "bias_ih_l0_reverse", "bias_hh_l0_reverse",
        "weight_ih_l1", "weight_hh_l1", "bias_ih_l1", "bias_hh_l1",
        "weight_ih_l1_reverse", "weight_hh_l1_reverse", "bias_ih_l1_reverse", "bias_hh_l1_reverse");
    assertThat(layer.namedParameters().get("weight_ih_l1").shape()).isEqualTo(Shape.of(12, 8));
    assertThat(layer.namedParameters().get("weight_ih_l0_reverse").shape()).isEqualTo(Shape.of(12, 3));
  }

  @Test
  void shapes() {
    RecurrentLayer layer = layer(lstm(), 3, 4, 3, true, 0);
    RecurrentOutput out = layer.forward(randn(1, 2, 5, 3));
    assertThat(out.outputs().shape()).isEqualTo(Shape.of(2, 5, 8));
    assertThat(out.finalStates()).hasSize(6);
    assertThat(out.stackedFinal(0).shape()).isEqualTo(Shape.of(6, 2, 4));
    assertThat(out.stackedFinal(1).shape()).isEqualTo(Shape.of(6, 2, 4));
    // The top layer's outputs hold the forward final state at the last step and the reverse one at step 0.
    assertClose(out.outputs().sliceAxis(1, 4, 1).sliceAxis(2, 0, 4).reshape(2, 4).toDoubleArray(),
        out.finalState(2, 0).hidden().toDoubleArray(), Tolerances.FLOAT64, "forward final");
    assertClose(out.outputs().sliceAxis(1, 0, 1).sliceAxis(2, 4, 4).reshape(2, 4).toDoubleArray(),
        out.finalState(2, 1).hidden().toDoubleArray(), Tolerances.FLOAT64, "reverse final");
  }

  @Test
  void paddedSequenceGetsTheSameResultAsAlone() {
    for (CellFactory factory : List.of(lstm(), GruCell.factory(backend(), DType.FLOAT64),
        RnnCell.factory(backend(), DType.FLOAT64, RnnCell.Nonlinearity.TANH))) {
      RecurrentLayer layer = layer(factory, 3, 4, 2, true, 0);
      int[] lengths = {5, 2, 3};
      Tensor batch = randn(7, 3, 5, 3);
      RecurrentOutput padded = layer.forward(batch, lengths);
      for (int b = 0; b < 3; b++) {
        Tensor alone = batch.sliceAxis(0, b, 1).sliceAxis(1, 0, lengths[b]);
        RecurrentOutput single = layer.forward(alone);
        for (int k = 0; k < 4; k++) {
          CellState p = padded.finalStates().get(k);
          CellState s = single.finalStates().get(k);
          for (int part = 0; part < p.size(); part++) {
            assertClose(p.part(part).sliceAxis(0, b, 1).toDoubleArray(), s.part(part).toDoubleArray(),
                Tolerances.FLOAT64, "final state " + k + " part " + part + " of sequence " + b);
          }
        }
        Tensor out = padded.outputs().sliceAxis(0, b, 1);
        assertClose(out.sliceAxis(1, 0, lengths[b]).toDoubleArray(), single.outputs().toDoubleArray(),
            Tolerances.FLOAT64, "outputs of sequence " + b);
        if (lengths[b] < 5) {
          assertThat(out.sliceAxis(1, lengths[b], 5 - lengths[b]).toDoubleArray()).containsOnly(0.0);
        }
      }
    }
  }

  @Test
  void gradientsOfTwoLayerBidirectionalWithPadding() {
    RecurrentLayer layer = layer(lstm(), 2, 3, 2, true, 0);
    int[] lengths = {3, 1};
    Tensor x = randn(3, 2, 3, 2);
    Tensor h0 = randn(4, 2, 3);
    checkGradients("lstm layer d/d(x, h0)",
        in -> layer.forward(in.get(0), lengths, initial(in.get(1), 4)).outputs(), x, h0);
    checkParameterGradients("lstm layer", layer, () -> {
      RecurrentOutput out = layer.forward(x, lengths);
      return Tensor.concat(List.of(out.outputs().reshape(-1), out.stackedFinal(0).reshape(-1), out.stackedFinal(1).reshape(-1)), 0);
    });
    RecurrentLayer gru = layer(GruCell.factory(backend(), DType.FLOAT64), 2, 2, 2, true, 0);
    checkGradients("gru layer d/dx", in -> gru.forward(in.get(0), lengths).stackedFinal(0), x);
    checkParameterGradients("gru layer", gru, () -> gru.forward(x, lengths).outputs());
  }

  @Test
  void paddingGivenAsAMaskTensorGivesTheResultsOfHostLengthsAndKeepsAnEmptySequencesStartState() {
    int[] lengths = {5, 2, 3, 0};
    double[] m = new double[4 * 5];
    for (int b = 0; b < 4; b++) {
      for (int t = 0; t < lengths[b]; t++) {
        m[b * 5 + t] = 1;
      }
    }
    Tensor mask = Tensors.of(backend(), DType.FLOAT64, m, Shape.of(4, 5));
    List<CellFactory> factories = List.of(lstm(), GruCell.factory(backend(), DType.FLOAT64),
        RnnCell.factory(backend(), DType.FLOAT64, RnnCell.Nonlinearity.TANH),
        RnnCell.factory(backend(), DType.FLOAT64, RnnCell.Nonlinearity.RELU));
    for (int f = 0; f < factories.size(); f++) {
      CellFactory factory = factories.get(f);
      RecurrentLayer layer = layer(factory, 3, 4, 2, true, 0);
      Tensor x = randn(11, 4, 5, 3);
      Tensor h0 = randn(12, 4, 4);
      List<CellState> start = f == 0 ? initial(h0, 4) : hiddenOnly(h0);
      RecurrentOutput masked = layer.forward(x, mask, start);
      List<CellState> firstThree = new ArrayList<>();
      for (CellState s : start) {
        firstThree.add(CellState.of(s.parts().stream().map(p -> p.sliceAxis(0, 0, 3)).toList()));
      }
      RecurrentOutput host = layer.forward(x.sliceAxis(0, 0, 3), new int[] {5, 2, 3}, firstThree);
      String cell = List.of("lstm", "gru", "tanh rnn", "relu rnn").get(f);
      assertClose(masked.outputs().sliceAxis(0, 0, 3).toDoubleArray(), host.outputs().toDoubleArray(), Tolerances.FLOAT64,
          cell + " outputs, mask tensor vs host lengths");
      assertThat(masked.outputs().sliceAxis(0, 3, 1).toDoubleArray()).as("%s: an empty sequence outputs zeros", cell).containsOnly(0.0);
      for (int k = 0; k < 4; k++) {
        for (int part = 0; part < start.get(k).size(); part++) {
          Tensor fin = masked.finalStates().get(k).part(part);
          assertClose(fin.sliceAxis(0, 0, 3).toDoubleArray(), host.finalStates().get(k).part(part).toDoubleArray(),
              Tolerances.FLOAT64, cell + " final state " + k + " part " + part + ", mask tensor vs host lengths");
          assertThat(fin.sliceAxis(0, 3, 1).toDoubleArray()).as("%s: an empty sequence keeps its start state %d part %d", cell, k, part)
              .containsExactly(start.get(k).part(part).sliceAxis(0, 3, 1).toDoubleArray());
        }
      }
    }
    RecurrentLayer layer = layer(lstm(), 2, 3, 2, true, 0);
    Tensor x = randn(13, 4, 5, 2);
    Tensor h0 = randn(14, 4, 3);
    checkGradients("lstm layer with a mask tensor d/d(x, h0)",
        in -> {
          RecurrentOutput out = layer.forward(in.get(0), mask, initial(in.get(1), 4));
          return Tensor.concat(List.of(out.outputs().reshape(-1), out.stackedFinal(0).reshape(-1), out.stackedFinal(1).reshape(-1)), 0);
        }, x, h0);
    checkParameterGradients("lstm layer with a mask tensor", layer, () -> layer.forward(x, mask, null).stackedFinal(1));
  }

  @Test
  void aReluStateThatWouldOverflowOnPaddingLeavesTheWeightGradientsFinite() {
    RecurrentLayer layer = layer(RnnCell.factory(backend(), DType.FLOAT32, RnnCell.Nonlinearity.RELU), 2, 3, 1, false, 0);
    float[] big = new float[9];
    for (int i = 0; i < 3; i++) {
      big[i * 3 + i] = 50; // h grows 50x a step where nothing stops it: beyond float32's range within 25 steps
    }
    layer.namedParameters().get("weight_hh_l0").set(Tensors.of(backend(), big, 3, 3));
    int time = 30;
    double[] m = new double[2 * time];
    m[0] = 1; // sequence 0: one real step; sequence 1: all real
    for (int t = 0; t < time; t++) {
      m[time + t] = t < 2 ? 1 : 0;
    }
    Tensor mask = Tensors.of(backend(), DType.FLOAT32, m, Shape.of(2, time));
    Tensor r = randn(15, 2, time, 2).cast(DType.FLOAT32);
    Tensor x = r.mul(r); // positive inputs keep the ReLU open
    RecurrentOutput out = layer.forward(x, mask, null);
    Tensor loss = out.outputs().sum().add(out.stackedFinal(0).sum());
    List<Tensor> params = new ArrayList<>();
    layer.parameters().forEach(p -> params.add(p.value()));
    for (Tensor g : Gradients.of(loss, params)) {
      for (double v : g.toDoubleArray()) {
        assertThat(Double.isFinite(v)).as("a weight gradient of a ReLU layer over 28 padded steps: %s", v).isTrue();
      }
    }
  }

  /** Four one-part start states (GRU, RNN) from {@code h}. */
  private static List<CellState> hiddenOnly(Tensor h) {
    CellState[] states = new CellState[4];
    for (int k = 0; k < 4; k++) {
      states[k] = CellState.of(h.mul(1 + 0.25 * k));
    }
    return List.of(states);
  }

  private static List<CellState> initial(Tensor h, int count) {
    CellState[] states = new CellState[count];
    for (int k = 0; k < count; k++) {
      states[k] = CellState.of(h, h.mul(0.5));
    }
    return List.of(states);
  }

  @Test
  void dropoutOnlyBetweenLayersAndOnlyInTraining() {
    Tensor x = randn(5, 2, 4, 3);
    RecurrentLayer plain = layer(lstm(), 3, 4, 2, true, 0);
    RecurrentLayer dropped = layer(lstm(), 3, 4, 2, true, 0.5);
    double[] reference = plain.forward(x).outputs().toDoubleArray();
    assertThat(dropped.forward(x).outputs().toDoubleArray()).isNotEqualTo(reference);
    // The first layer sees no dropout.
    assertClose(dropped.forward(x).finalState(0, 0).hidden().toDoubleArray(),
        plain.forward(x).finalState(0, 0).hidden().toDoubleArray(), Tolerances.FLOAT64, "layer 0");
    dropped.setTraining(false);
    assertClose(dropped.forward(x).outputs().toDoubleArray(), reference, Tolerances.FLOAT64, "eval mode");
    // A single layer has nothing between layers.
    RecurrentLayer single = layer(lstm(), 3, 4, 1, false, 0.5);
    RecurrentLayer singlePlain = layer(lstm(), 3, 4, 1, false, 0);
    assertClose(single.forward(x).outputs().toDoubleArray(), singlePlain.forward(x).outputs().toDoubleArray(),
        Tolerances.FLOAT64, "single layer");
  }

  @Test
  void clearErrors() {
    RecurrentLayer layer = layer(lstm(), 3, 4, 1, true, 0);
    assertThatThrownBy(() -> layer.forward(randn(1, 2, 5, 4)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[2, 5, 4]").hasMessageContaining("[batch, time, 3]");
    assertThatThrownBy(() -> layer.forward(randn(1, 2, 5, 3), new int[] {5, 0}))
        .hasMessageContaining("length 0 of sequence 1 outside [1, 5]");
    assertThatThrownBy(() -> layer.forward(randn(1, 2, 5, 3), new int[] {5}))
        .hasMessageContaining("1 lengths for a batch of 2");
    assertThatThrownBy(() -> RecurrentLayer.builder().setInputSize(3).setHiddenSize(4).setRng(new Rng(1)).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("setCell");
    assertThatThrownBy(() -> layer(lstm(), 3, 4, 1, false, 1.0)).hasMessageContaining("dropout");
    assertThatThrownBy(() -> RecurrentLayer.builder().setCell((in, h, rng) -> new LstmCell(backend(), DType.FLOAT64, in, h + 1, rng))
        .setInputSize(3).setHiddenSize(4).setRng(new Rng(1)).build()).hasMessageContaining("expected 3 -> 4");
  }
}
