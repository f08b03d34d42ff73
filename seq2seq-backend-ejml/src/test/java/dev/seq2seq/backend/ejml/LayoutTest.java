package dev.seq2seq.backend.ejml;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seq2seq.api.backend.RawTensor;
import dev.seq2seq.api.tensor.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Permute, slice, pad and concat against index arithmetic done by hand. */
class LayoutTest {
  private final EjmlBackend backend = new EjmlBackend();

  private static int[] iota(int n) {
    int[] v = new int[n];
    for (int i = 0; i < n; i++) {
      v[i] = i;
    }
    return v;
  }

  @Test
  void permuteOfRankFour() {
    // x[2,3,4,5] holds its own flat index; perm [3,1,0,2] gives out[5,3,2,4] with
    // out[a][b][c][d] = x[c][b][d][a]
    RawTensor out = backend.permute(backend.fromInts(iota(120), Shape.of(2, 3, 4, 5)), new int[] {3, 1, 0, 2});

    int[] expected = new int[120];
    for (int a = 0; a < 5; a++) {
      for (int b = 0; b < 3; b++) {
        for (int c = 0; c < 2; c++) {
          for (int d = 0; d < 4; d++) {
            expected[((a * 3 + b) * 2 + c) * 4 + d] = ((c * 3 + b) * 4 + d) * 5 + a;
          }
        }
      }
    }
    assertThat(out.shape()).isEqualTo(Shape.of(5, 3, 2, 4));
    assertThat(out.toIntArray()).containsExactly(expected);
  }

  @Test
  void permuteKeepingTheLastAxisOnFloat64() {
    double[] x = new double[24];
    for (int i = 0; i < x.length; i++) {
      x[i] = i * 0.5;
    }
    // [2,3,4] with perm [1,0,2]: out[b][a][c] = x[a][b][c]
    RawTensor out = backend.permute(backend.fromDoubles(x, Shape.of(2, 3, 4)), new int[] {1, 0, 2});

    double[] expected = new double[24];
    for (int b = 0; b < 3; b++) {
      for (int a = 0; a < 2; a++) {
        for (int c = 0; c < 4; c++) {
          expected[(b * 2 + a) * 4 + c] = x[(a * 3 + b) * 4 + c];
        }
      }
    }
    assertThat(out.toDoubleArray()).containsExactly(expected);
  }

  @Test
  void sliceOfAnInnerBox() {
    // x[3,4,5], begin [1,0,2], size [2,3,2]
    RawTensor out = backend.slice(backend.fromInts(iota(60), Shape.of(3, 4, 5)), new int[] {1, 0, 2}, new int[] {2, 3, 2});

    int[] expected = new int[12];
    for (int i = 0; i < 2; i++) {
      for (int j = 0; j < 3; j++) {
        for (int k = 0; k < 2; k++) {
          expected[(i * 3 + j) * 2 + k] = ((i + 1) * 4 + j) * 5 + (k + 2);
        }
      }
    }
    assertThat(out.shape()).isEqualTo(Shape.of(2, 3, 2));
    assertThat(out.toIntArray()).containsExactly(expected);
  }

  @Test
  void padSurroundsWithZeros() {
    RawTensor out = backend.pad(
        backend.fromFloats(new float[] {1, 2, 3, 4, 5, 6}, Shape.of(2, 3)), new int[] {1, 0}, new int[] {0, 2});

    assertThat(out.shape()).isEqualTo(Shape.of(3, 5));
    assertThat(out.toFloatArray()).containsExactly(
        0, 0, 0, 0, 0,
        1, 2, 3, 0, 0,
        4, 5, 6, 0, 0);
  }

  @Test
  void concatAlongAMiddleAxis() {
    RawTensor a = backend.fromInts(new int[] {1, 2, 3, 4, 5, 6}, Shape.of(2, 1, 3));
    RawTensor b = backend.fromInts(new int[] {10, 11, 12, 13, 14, 15, 20, 21, 22, 23, 24, 25}, Shape.of(2, 2, 3));

    RawTensor out = backend.concat(List.of(a, b), 1);

    assertThat(out.shape()).isEqualTo(Shape.of(2, 3, 3));
    assertThat(out.toIntArray()).containsExactly(
        1, 2, 3, 10, 11, 12, 13, 14, 15,
        4, 5, 6, 20, 21, 22, 23, 24, 25);
  }

  @Test
  void reshapeKeepsRowMajorOrder() {
    RawTensor out = backend.reshape(backend.fromDoubles(new double[] {1, 2, 3, 4, 5, 6}, Shape.of(2, 3)), Shape.of(3, 1, 2));

    assertThat(out.shape()).isEqualTo(Shape.of(3, 1, 2));
    assertThat(out.toDoubleArray()).containsExactly(1, 2, 3, 4, 5, 6);
  }
}
