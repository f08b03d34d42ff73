package dev.seq2seq.backend.tensorflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seq2seq.api.backend.RawTensor;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reshape, permute, concat, slice and pad in every dtype. */
class ShapeKernelsTest extends TfTestSupport {
  private static final DType[] ALL = {DType.FLOAT32, DType.FLOAT64, DType.INT32};

  @Test
  void reshapeKeepsRowMajorOrderAndOutlivesItsInput() {
    for (DType dt : ALL) {
      RawTensor x = backend().fromDoubles(range(6), Shape.of(2, 3));
      RawTensor typed = track(backend().cast(x, dt));
      x.close();
      RawTensor r = track(backend().reshape(typed, Shape.of(3, 1, 2)));
      typed.close(); // the result shares the buffer, which stays alive
      assertValues(r, dt, range(6), 3, 1, 2);
      assertValues(track(backend().reshape(r, Shape.of(6))), dt, range(6), 6);
    }
  }

  @Test
  void permuteMovesAxes() {
    for (DType dt : ALL) {
      RawTensor x = t(dt, range(24), 2, 3, 4);
      // out[k][i][j] = x[i][j][k]
      double[] expected = new double[24];
      for (int i = 0; i < 2; i++) {
        for (int j = 0; j < 3; j++) {
          for (int k = 0; k < 4; k++) {
            expected[(k * 2 + i) * 3 + j] = (i * 3 + j) * 4 + k;
          }
        }
      }
      assertValues(track(backend().permute(x, new int[] {2, 0, 1})), dt, expected, 4, 2, 3);
    }
  }

  @Test
  void concatAlongFirstAndMiddleAxes() {
    for (DType dt : ALL) {
      RawTensor a = t(dt, new double[] {1, 2, 3, 4}, 2, 2);
      RawTensor b = t(dt, new double[] {5, 6}, 1, 2);
      RawTensor c = t(dt, new double[] {7, 8}, 2, 1);
      assertValues(track(backend().concat(List.of(a, b), 0)), dt, new double[] {1, 2, 3, 4, 5, 6}, 3, 2);
      assertValues(track(backend().concat(List.of(c, a, c), 1)), dt, new double[] {7, 1, 2, 7, 8, 3, 4, 8}, 2, 4);
      assertValues(track(backend().concat(List.of(a), 1)), dt, new double[] {1, 2, 3, 4}, 2, 2);
    }
  }

  @Test
  void sliceTakesABox() {
    for (DType dt : ALL) {
      RawTensor x = t(dt, range(24), 2, 3, 4);
      // begin [1, 1, 2], size [1, 2, 2]: x[1][1..2][2..3] = 12 + 4j + k
      assertValues(track(backend().slice(x, new int[] {1, 1, 2}, new int[] {1, 2, 2})), dt,
          new double[] {18, 19, 22, 23}, 1, 2, 2);
      assertThat(track(backend().slice(x, new int[] {0, 0, 0}, new int[] {2, 0, 4})).shape())
          .isEqualTo(Shape.of(2, 0, 4));
    }
  }

  @Test
  void padSurroundsWithZeros() {
    for (DType dt : ALL) {
      RawTensor x = t(dt, new double[] {1, 2, 3, 4}, 2, 2);
      assertValues(track(backend().pad(x, new int[] {1, 0}, new int[] {0, 2})), dt,
          new double[] {0, 0, 0, 0, 1, 2, 0, 0, 3, 4, 0, 0}, 3, 4);
    }
  }
}
