package dev.seq2seq.backend.ejml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.seq2seq.api.backend.RawTensor;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Shape;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Gather and scatter-add (with repeated indices), argmax and top-k ties. */
class IndexingTest {
  private final EjmlBackend backend = new EjmlBackend();

  @Test
  void gatherRowsWithMatrixIndices() {
    // table[5,2] row r = (10r, 10r+1); indices [[1,3],[1,0]] -> [2,2,2]
    RawTensor table = backend.fromFloats(new float[] {0, 1, 10, 11, 20, 21, 30, 31, 40, 41}, Shape.of(5, 2));
    RawTensor indices = backend.fromInts(new int[] {1, 3, 1, 0}, Shape.of(2, 2));

    RawTensor out = backend.gather(table, indices, 0);

    assertThat(out.shape()).isEqualTo(Shape.of(2, 2, 2));
    assertThat(out.toFloatArray()).containsExactly(10, 11, 30, 31, 10, 11, 0, 1);
  }

  @Test
  void gatherOnAMiddleAxis() {
    // table[2,4,3] holding its flat index; indices [3,3,0] on axis 1 -> [2,3,3]
    int[] t = new int[24];
    for (int i = 0; i < t.length; i++) {
      t[i] = i;
    }
    int[] idx = {3, 3, 0};
    RawTensor out = backend.gather(backend.fromInts(t, Shape.of(2, 4, 3)), backend.fromInts(idx, Shape.of(3)), 1);

    int[] expected = new int[18];
    for (int a = 0; a < 2; a++) {
      for (int p = 0; p < 3; p++) {
        for (int c = 0; c < 3; c++) {
          expected[(a * 3 + p) * 3 + c] = (a * 4 + idx[p]) * 3 + c;
        }
      }
    }
    assertThat(out.shape()).isEqualTo(Shape.of(2, 3, 3));
    assertThat(out.toIntArray()).containsExactly(expected);
  }

  @Test
  void scatterAddAccumulatesRepeatedIndices() {
    // indices [1,3,1,1] into [5,2] along axis 0
    RawTensor indices = backend.fromInts(new int[] {1, 3, 1, 1}, Shape.of(4));
    RawTensor updates = backend.fromDoubles(new double[] {1, 2, 3, 4, 5, 6, 7, 8}, Shape.of(4, 2));

    RawTensor out = backend.scatterAdd(indices, updates, 0, Shape.of(5, 2));

    assertThat(out.shape()).isEqualTo(Shape.of(5, 2));
    assertThat(out.toDoubleArray()).containsExactly(0, 0, 1 + 5 + 7, 2 + 6 + 8, 0, 0, 3, 4, 0, 0);
  }

  @Test
  void scatterAddIsTheAdjointOfGather() {
    // <gather(T, I), U> == <T, scatterAdd(I, U)> on axis 1 of T[3,6,4] with repeated indices I[2,5]
    Random rnd = new Random(5);
    double[] table = rnd.doubles(72, -1, 1).toArray();
    int[] idx = {0, 5, 5, 2, 5, 1, 0, 0, 3, 5};
    double[] updates = rnd.doubles(3 * 10 * 4, -1, 1).toArray();
    RawTensor indices = backend.fromInts(idx, Shape.of(2, 5));

    double[] gathered = backend.gather(backend.fromDoubles(table, Shape.of(3, 6, 4)), indices, 1).toDoubleArray();
    double[] scattered = backend.scatterAdd(indices, backend.fromDoubles(updates, Shape.of(3, 2, 5, 4)), 1, Shape.of(3, 6, 4))
        .toDoubleArray();

    double left = 0;
    for (int i = 0; i < gathered.length; i++) {
      left += gathered[i] * updates[i];
    }
    double right = 0;
    for (int i = 0; i < table.length; i++) {
      right += table[i] * scattered[i];
    }
    assertThat(gathered).hasSize(120);
    assertThat(left).isCloseTo(right, within(1e-12));
    // row 5 of batch 0 collects the four updates of positions with index 5, column 0
    double expected = updates[(0 * 10 + 1) * 4] + updates[(0 * 10 + 2) * 4] + updates[(0 * 10 + 4) * 4] + updates[(0 * 10 + 9) * 4];
    assertThat(scattered[(0 * 6 + 5) * 4]).isCloseTo(expected, within(1e-12));
  }

  @Test
  void float32ScatterAddRoundTripsThroughGather() {
    RawTensor indices = backend.fromInts(new int[] {2, 0, 2}, Shape.of(3));
    RawTensor updates = backend.fromFloats(new float[] {1.5f, 2, 3, 4, 5.25f, 6}, Shape.of(3, 2));

    RawTensor summed = backend.scatterAdd(indices, updates, 0, Shape.of(3, 2));
    RawTensor back = backend.gather(summed, indices, 0);

    assertThat(summed.dtype()).isEqualTo(DType.FLOAT32);
    assertThat(summed.toFloatArray()).containsExactly(3, 4, 0, 0, 6.75f, 8);
    assertThat(back.toFloatArray()).containsExactly(6.75f, 8, 3, 4, 6.75f, 8);
  }

  @Test
  void scatterAddInPlaceAddsIntoTheTargetAndEqualsAddingTheScatteredTable() {
    // on axis 1 of [3,6,4] with repeated indices [2,5]: target + scatterAdd(...) in double
    Random rnd = new Random(9);
    double[] start = rnd.doubles(72, -1, 1).toArray();
    int[] idx = {0, 5, 5, 2, 5, 1, 0, 0, 3, 5};
    double[] updates = rnd.doubles(3 * 10 * 4, -1, 1).toArray();
    RawTensor indices = backend.fromInts(idx, Shape.of(2, 5));
    RawTensor u = backend.fromDoubles(updates, Shape.of(3, 2, 5, 4));
    double[] scattered = backend.scatterAdd(indices, u, 1, Shape.of(3, 6, 4)).toDoubleArray();
    RawTensor target = backend.fromDoubles(start, Shape.of(3, 6, 4));

    backend.scatterAddInPlace(target, indices, u, 1);

    double[] got = target.toDoubleArray();
    for (int i = 0; i < start.length; i++) {
      assertThat(got[i]).as("element %s", i).isCloseTo(start[i] + scattered[i], within(1e-12));
    }
    assertThat(got[(1 * 6 + 4) * 4 + 2]).as("a row no index names is untouched").isEqualTo(start[(1 * 6 + 4) * 4 + 2]);
  }

  @Test
  void float32ScatterAddInPlaceAddsRepeatsOneAfterAnother() {
    RawTensor target = backend.fromFloats(new float[] {1, 1, 1, 1, 1, 1}, Shape.of(3, 2));
    backend.scatterAddInPlace(target, backend.fromInts(new int[] {2, 0, 2}, Shape.of(3)),
        backend.fromFloats(new float[] {1.5f, 2, 3, 4, 5.25f, 6}, Shape.of(3, 2)), 0);

    assertThat(target.dtype()).isEqualTo(DType.FLOAT32);
    assertThat(target.toFloatArray()).containsExactly(4, 5, 1, 1, 7.75f, 9);
  }

  @Test
  void scatterAddInPlaceChecksEverythingBeforeAdding() {
    RawTensor target = backend.fromFloats(new float[] {1, 2, 3, 4}, Shape.of(2, 2));
    assertThatThrownBy(() -> backend.scatterAddInPlace(target, backend.fromInts(new int[] {0, 2}, Shape.of(2)),
            backend.fromFloats(new float[4], Shape.of(2, 2)), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("scatter_add: index 2 out of range [0, 2) on axis 0");
    assertThatThrownBy(() -> backend.scatterAddInPlace(target, backend.fromInts(new int[] {0}, Shape.of(1)),
            backend.fromFloats(new float[3], Shape.of(1, 3)), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("updates [1, 3] do not fit indices [1] into [2, 2] on axis 0 (expected updates [1, 2])");
    assertThat(target.toFloatArray()).as("unchanged after the rejected calls").containsExactly(1, 2, 3, 4);
  }

  @Test
  void outOfRangeIndicesAreRejected() {
    RawTensor table = backend.fromFloats(new float[20], Shape.of(10, 2));

    assertThatThrownBy(() -> backend.gather(table, backend.fromInts(new int[] {3, 12}, Shape.of(2)), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("gather: index 12 out of range [0, 10) on axis 0");
    assertThatThrownBy(() -> backend.scatterAdd(
            backend.fromInts(new int[] {-1}, Shape.of(1)), backend.fromFloats(new float[10], Shape.of(10, 1)), 1, Shape.of(10, 2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("scatter_add: index -1 out of range [0, 2) on axis 1");
  }

  @Test
  void argmaxTakesTheFirstOfTiedMaxima() {
    // [2,3] along axis 0 and 1
    RawTensor x = backend.fromDoubles(new double[] {5, 1, 7, 5, 7, 7}, Shape.of(2, 3));

    assertThat(backend.argmax(x, 1).toIntArray()).containsExactly(2, 1);
    assertThat(backend.argmax(x, 0).toIntArray()).containsExactly(0, 1, 0);
    assertThat(backend.argmax(x, 0).dtype()).isEqualTo(DType.INT32);
  }

  @Test
  void topKIsDescendingWithLowerIndexFirstOnTies() {
    RawTensor x = backend.fromFloats(new float[] {3, 9, 3, 9, 1, 3, /* row 2 */ -1, -2, -3, -4, -5, -6}, Shape.of(2, 6));

    RawTensor[] top = backend.topK(x, 4);

    assertThat(top[0].shape()).isEqualTo(Shape.of(2, 4));
    assertThat(top[0].toFloatArray()).containsExactly(9, 9, 3, 3, -1, -2, -3, -4);
    assertThat(top[1].toIntArray()).containsExactly(1, 3, 0, 2, 0, 1, 2, 3);
  }

  @Test
  void topKOfInt32KeepsTheDtype() {
    RawTensor[] top = backend.topK(backend.fromInts(new int[] {4, 8, 8, 2}, Shape.of(4)), 3);

    assertThat(top[0].dtype()).isEqualTo(DType.INT32);
    assertThat(top[0].toIntArray()).containsExactly(8, 8, 4);
    assertThat(top[1].toIntArray()).containsExactly(1, 2, 0);
  }
}
