package dev.seq2seq.models.rnn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seq2seq.api.conformance.Tolerances;
import dev.seq2seq.api.module.Module;
import dev.seq2seq.api.nn.Cell;
import dev.seq2seq.api.nn.CellState;
import dev.seq2seq.api.random.Rng;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Tensor;
import dev.seq2seq.models.testing.GoldenFixture;
import dev.seq2seq.models.layers.ModelTestSupport;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Outputs and final states against PyTorch for the same float64 weights and inputs. */
class GoldenReferenceTest extends ModelTestSupport {
  @ParameterizedTest
  @ValueSource(strings = {
      "rnn_2layer_bidirectional", "rnn_2layer_bidirectional_lengths",
      "lstm_2layer_bidirectional", "lstm_2layer_bidirectional_lengths",
      "gru_2layer_bidirectional", "gru_2layer_bidirectional_lengths"})
  void layerMatchesPyTorch(String name) {
    GoldenFixture f = GoldenFixture.load("rnn", name);
    String module = f.string("module");
    CellFactory factory = factory(module, f);
    RecurrentLayer layer = RecurrentLayer.builder().setCell(factory)
        .setInputSize(f.config("input_size")).setHiddenSize(f.config("hidden_size"))
        .optNumLayers(f.config("num_layers")).optBidirectional(f.flag("bidirectional"))
        .setRng(new Rng(0)).build();
    assertThat(layer.namedParameters().keySet()).as("parameter names").containsExactlyElementsOf(f.parameterNames());
    f.loadInto(layer, backend(), DType.FLOAT64);
    List<CellState> initial = null;
    if (f.has("h0")) {
      Tensor h0 = f.tensor(backend(), DType.FLOAT64, "h0");
      Tensor c0 = f.has("c0") ? f.tensor(backend(), DType.FLOAT64, "c0") : null;
      initial = new ArrayList<>();
      for (int k = 0; k < h0.dim(0); k++) {
        Tensor h = h0.sliceAxis(0, k, 1).squeeze(0);
        initial.add(c0 == null ? CellState.of(h) : CellState.of(h, c0.sliceAxis(0, k, 1).squeeze(0)));
      }
    }
    RecurrentOutput out = layer.forward(f.tensor(backend(), DType.FLOAT64, "input"), f.ints("lengths"), initial);
    double dev = compare(f, "output", out.outputs());
    dev = Math.max(dev, compare(f, "h_n", out.stackedFinal(0)));
    if (f.has("c_n")) {
      dev = Math.max(dev, compare(f, "c_n", out.stackedFinal(1)));
    }
    System.out.printf("golden %s: max |deviation| vs PyTorch %.3g%n", name, dev);
  }

  @ParameterizedTest
  @ValueSource(strings = {"rnn_cell_tanh", "rnn_cell_relu", "lstm_cell", "gru_cell"})
  void cellMatchesPyTorch(String name) {
    GoldenFixture f = GoldenFixture.load("rnn", name);
    Cell cell = factory(f.string("module"), f).create(f.config("input_size"), f.config("hidden_size"), new Rng(0));
    assertThat(((Module) cell).namedParameters().keySet()).containsExactlyElementsOf(f.parameterNames());
    f.loadInto((Module) cell, backend(), DType.FLOAT64);
    Tensor h0 = f.tensor(backend(), DType.FLOAT64, "h0");
    CellState state = f.has("c0") ? CellState.of(h0, f.tensor(backend(), DType.FLOAT64, "c0")) : CellState.of(h0);
    CellState next = cell.step(f.tensor(backend(), DType.FLOAT64, "input"), state);
    double dev = compare(f, "h_n", next.hidden());
    if (f.has("c_n")) {
      dev = Math.max(dev, compare(f, "c_n", next.part(1)));
    }
    System.out.printf("golden %s: max |deviation| vs PyTorch %.3g%n", name, dev);
  }

  private CellFactory factory(String module, GoldenFixture f) {
    switch (module) {
      case "RNN":
      case "RNNCell":
        RnnCell.Nonlinearity act = "relu".equals(f.configString("nonlinearity"))
            ? RnnCell.Nonlinearity.RELU : RnnCell.Nonlinearity.TANH;
        return RnnCell.factory(backend(), DType.FLOAT64, act);
      case "LSTM":
      case "LSTMCell":
        return LstmCell.factory(backend(), DType.FLOAT64);
      case "GRU":
      case "GRUCell":
        return GruCell.factory(backend(), DType.FLOAT64);
      default:
        throw new AssertionError(module);
    }
  }

  /** Asserts {@code actual} matches the fixture's {@code key} and returns the largest absolute deviation. */
  private double compare(GoldenFixture f, String key, Tensor actual) {
    Tensor expected = f.tensor(backend(), DType.FLOAT64, key);
    assertThat(actual.shape()).as("%s %s shape", f.name(), key).isEqualTo(expected.shape());
    double[] a = actual.toDoubleArray();
    double[] e = expected.toDoubleArray();
    assertClose(a, e, Tolerances.FLOAT64, f.name() + " " + key);
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs(a[i] - e[i]));
    }
    return max;
  }
}
