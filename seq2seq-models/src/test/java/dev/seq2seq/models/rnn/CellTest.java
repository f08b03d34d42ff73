package dev.seq2seq.models.rnn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seq2seq.api.nn.CellState;
import dev.seq2seq.api.random.Rng;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Shape;
import dev.seq2seq.api.tensor.Tensor;
import dev.seq2seq.models.layers.ModelTestSupport;
import org.junit.jupiter.api.Test;

class CellTest extends ModelTestSupport {
  private static final int IN = 3;
  private static final int H = 4;

  @Test
  void parameterNamesShapesAndInitRange() {
    AbstractCell[] cells = {
        new RnnCell(backend(), DType.FLOAT64, IN, H, new Rng(1)),
        new LstmCell(backend(), DType.FLOAT64, IN, H, new Rng(1)),
        new GruCell(backend(), DType.FLOAT64, IN, H, new Rng(1))};
    int[] gates = {1, 4, 3};
    for (int k = 0; k < cells.length; k++) {
      AbstractCell cell = cells[k];
      assertThat(cell.namedParameters().keySet()).containsExactly("weight_ih", "weight_hh", "bias_ih", "bias_hh");
      int rows = gates[k] * H;
      assertThat(cell.namedParameters().get("weight_ih").shape()).isEqualTo(Shape.of(rows, IN));
      assertThat(cell.namedParameters().get("weight_hh").shape()).isEqualTo(Shape.of(rows, H));
      assertThat(cell.namedParameters().get("bias_ih").shape()).isEqualTo(Shape.of(rows));
      assertThat(cell.namedParameters().get("bias_hh").shape()).isEqualTo(Shape.of(rows));
      cell.parameters().forEach(p -> {
        for (double v : p.value().toDoubleArray()) {
          assertThat(Math.abs(v)).isLessThanOrEqualTo(0.5); // 1/sqrt(H)
        }
      });
      assertThat(cell.initialState(2).size()).isEqualTo(k == 1 ? 2 : 1);
      assertThat(cell.initialState(2).hidden().shape()).isEqualTo(Shape.of(2, H));
    }
  }

  @Test
  void rnnCellGradients() {
    for (RnnCell.Nonlinearity act : RnnCell.Nonlinearity.values()) {
      RnnCell cell = new RnnCell(backend(), DType.FLOAT64, IN, H, act, new Rng(2));
      Tensor x = randn(3, 2, IN);
      Tensor h = randn(4, 2, H);
      checkGradients("rnn cell " + act + " d/d(x, h)", in -> cell.step(in.get(0), CellState.of(in.get(1))).hidden(), x, h);
      checkParameterGradients("rnn cell " + act, cell, () -> cell.step(x, CellState.of(h)).hidden());
    }
  }

  @Test
  void lstmCellGradients() {
    LstmCell cell = new LstmCell(backend(), DType.FLOAT64, IN, H, new Rng(5));
    Tensor x = randn(6, 2, IN);
    Tensor h = randn(7, 2, H);
    Tensor c = randn(8, 2, H);
    // Both h' and c' are checked: they are concatenated into one output.
    checkGradients("lstm cell d/d(x, h, c)", in -> both(cell.step(in.get(0), CellState.of(in.get(1), in.get(2)))), x, h, c);
    checkParameterGradients("lstm cell", cell, () -> both(cell.step(x, CellState.of(h, c))));
  }

  @Test
  void gruCellGradients() {
    GruCell cell = new GruCell(backend(), DType.FLOAT64, IN, H, new Rng(9));
    Tensor x = randn(10, 2, IN);
    Tensor h = randn(11, 2, H);
    checkGradients("gru cell d/d(x, h)", in -> cell.step(in.get(0), CellState.of(in.get(1))).hidden(), x, h);
    checkParameterGradients("gru cell", cell, () -> cell.step(x, CellState.of(h)).hidden());
  }

  private static Tensor both(CellState s) {
    return Tensor.concat(s.parts(), 1);
  }

  @Test
  void shapeErrorsNameExpectedAndActual() {
    LstmCell cell = new LstmCell(backend(), DType.FLOAT64, IN, H, new Rng(1));
    CellState s = cell.initialState(2);
    assertThatThrownBy(() -> cell.step(randn(1, 2, 5), s))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[2, 5]").hasMessageContaining("[batch, 3]");
    assertThatThrownBy(() -> cell.step(randn(1, 2, IN), CellState.of(s.hidden())))
        .hasMessageContaining("1 parts, expected 2");
    assertThatThrownBy(() -> cell.step(randn(1, 3, IN), s))
        .hasMessageContaining("[2, 4]").hasMessageContaining("expected [3, 4]");
  }
}
