package dev.seq2seq.backend.tensorflow;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seq2seq.api.backend.RawTensor;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Shape;
import org.junit.jupiter.api.Test;

/** Gather, scatter-add and their index checks. */
class IndexKernelsTest extends TfTestSupport {
  private static final DType[] ALL = {DType.FLOAT32, DType.FLOAT64, DType.INT32};

  @Test
  void gatherShapeIsTableBeforeAxisPlusIndicesPlusTableAfterAxis() {
    int[] ids = {2, 0, 2, 1};
    for (DType dt : ALL) {
      RawTensor table = t(dt, range(24), 2, 3, 4); // table[i][j][k] = 12i + 4j + k
      RawTensor out = track(backend().gather(table, ints(ids, 2, 2), 1)); // [2] + [2, 2] + [4]
      double[] expected = new double[2 * 4 * 4];
      for (int i = 0; i < 2; i++) {
        for (int p = 0; p < 4; p++) {
          for (int k = 0; k < 4; k++) {
            expected[(i * 4 + p) * 4 + k] = 12 * i + 4 * ids[p] + k;
          }
        }
      }
      assertValues(out, dt, expected, 2, 2, 2, 4);
      double[] second = new double[12];
      for (int i = 0; i < 12; i++) {
        second[i] = 12 + i;
      }
      assertValues(track(backend().gather(table, ints(new int[] {1}), 0)), dt, second, 3, 4); // scalar index
      RawTensor last = track(backend().gather(table, ints(new int[] {3, 3}, 2), 2));
      assertValues(last, dt, new double[] {3, 3, 7, 7, 11, 11, 15, 15, 19, 19, 23, 23}, 2, 3, 2);
    }
  }

  @Test
  void scatterAddIsTheAdjointOfGatherAndAccumulatesRepeats() {
    int[] ids = {2, 0, 2, 1};
    for (DType dt : ALL) {
      // updates [2] + [2, 2] + [4] into out [2, 3, 4] along axis 1
      double[] u = new double[32];
      for (int i = 0; i < u.length; i++) {
        u[i] = i % 5 + 1;
      }
      double[] expected = new double[24];
      for (int i = 0; i < 2; i++) {
        for (int p = 0; p < 4; p++) {
          for (int k = 0; k < 4; k++) {
            expected[(i * 3 + ids[p]) * 4 + k] += u[(i * 4 + p) * 4 + k];
          }
        }
      }
      RawTensor out = track(backend().scatterAdd(ints(ids, 2, 2), t(dt, u, 2, 2, 2, 4), 1, Shape.of(2, 3, 4)));
      assertValues(out, dt, expected, 2, 3, 4);
      // axis 0 and a never-hit row stays zero
      RawTensor rows = track(backend().scatterAdd(ints(new int[] {0, 0, 2}, 3), t(dt, new double[] {1, 2, 3, 4, 5, 6}, 3, 2),
          0, Shape.of(4, 2)));
      assertValues(rows, dt, new double[] {4, 6, 0, 0, 5, 6, 0, 0}, 4, 2);
      // last axis
      RawTensor cols = track(backend().scatterAdd(ints(new int[] {1, 1}, 2), t(dt, new double[] {1, 2, 3, 4}, 2, 2),
          1, Shape.of(2, 3)));
      assertValues(cols, dt, new double[] {0, 3, 0, 0, 7, 0}, 2, 3);
    }
  }

  @Test
  void outOfRangeIndicesNameTheOpTheIndexAndTheRange() {
    RawTensor table = t(DType.FLOAT32, range(15), 5, 3);
    assertThatThrownBy(() -> backend().gather(table, ints(new int[] {1, 7, 0, 2}, 2, 2), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("gather:")
        .hasMessageContaining("index 7")
        .hasMessageContaining("position [0, 1]")
        .hasMessageContaining("[0, 5)");
    assertThatThrownBy(() -> backend().gather(table, ints(new int[] {-1}, 1), 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("index -1").hasMessageContaining("[0, 3)");
    assertThatThrownBy(() -> backend().scatterAdd(ints(new int[] {0, 4}, 2), t(DType.FLOAT64, range(4), 2, 2), 0, Shape.of(4, 2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("scatter_add:")
        .hasMessageContaining("index 4")
        .hasMessageContaining("[0, 4)");
  }
}
