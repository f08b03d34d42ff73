package dev.seq2seq.backend.tensorflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Gradients;
import dev.seq2seq.api.tensor.Shape;
import dev.seq2seq.api.tensor.Tensor;
import dev.seq2seq.api.tensor.Tensors;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link Tensor#lstmCellParts} on a backend without a fused LSTM kernel: the composition's own
 * {@code h'} and {@code c'}, which must equal the slices of {@link Tensor#lstmCell} bit for bit, with
 * the same gradients.
 */
class LstmCellPartsTest extends TfTestSupport {
  @Test
  void partsAreTheSlicesOfTheConcatenatedCellWithTheSameGradients() {
    Random rnd = new Random(17);
    int batch = 3;
    int hidden = 5;
    for (DType dt : FLOATS) {
      Tensor xW = param(rnd, dt, batch, 4 * hidden);
      Tensor hW = param(rnd, dt, batch, 4 * hidden);
      Tensor bias = param(rnd, dt, 4 * hidden);
      Tensor cell = param(rnd, dt, batch, hidden);
      Tensor weightH = param(rnd, dt, batch, hidden);
      Tensor weightC = param(rnd, dt, batch, hidden);
      List<Tensor> wrt = List.of(xW, hW, bias, cell);

      Tensor[] parts = Tensor.lstmCellParts(xW, hW, bias, cell);
      Tensor hc = Tensor.lstmCell(xW, hW, bias, cell);
      Tensor h = hc.sliceAxis(1, 0, hidden);
      Tensor c = hc.sliceAxis(1, hidden, hidden);
      assertThat(parts[0].toDoubleArray()).as("h', %s", dt).isEqualTo(h.toDoubleArray());
      assertThat(parts[1].toDoubleArray()).as("c', %s", dt).isEqualTo(c.toDoubleArray());

      List<Tensor> fromParts = Gradients.of(parts[0].mul(weightH).sum().add(parts[1].mul(weightC).sum()), wrt);
      List<Tensor> fromSlices = Gradients.of(h.mul(weightH).sum().add(c.mul(weightC).sum()), wrt);
      for (int i = 0; i < wrt.size(); i++) {
        assertThat(fromParts.get(i).toDoubleArray()).as("gradient %d, %s", i, dt).isEqualTo(fromSlices.get(i).toDoubleArray());
      }
    }
  }

  private Tensor param(Random rnd, DType dt, int... dims) {
    int n = 1;
    for (int d : dims) {
      n *= d;
    }
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = rnd.nextGaussian();
    }
    return Tensors.of(backend(), dt, v, Shape.of(dims)).requiringGrad();
  }
}
