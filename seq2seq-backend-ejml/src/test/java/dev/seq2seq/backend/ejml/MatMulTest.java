package dev.seq2seq.backend.ejml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.seq2seq.api.backend.RawTensor;
import dev.seq2seq.api.conformance.Tolerances;
import dev.seq2seq.api.tensor.Shape;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Batched matmul against a naive triple loop, for every transpose-flag combination. */
class MatMulTest {
  private final EjmlBackend backend = new EjmlBackend();

  /** Logical shapes (after the transposes) of a and b, and the expected result shape. */
  static Stream<Arguments> cases() {
    int[][][] shapes = {
      {{2, 1, 3, 4}, {5, 4, 6}, {2, 5, 3, 6}}, // broadcast on both sides
      {{2, 3, 4}, {4, 5}, {2, 3, 5}}, // single b: batch of a folded into rows
      {{2, 3, 4}, {1, 1, 4, 5}, {1, 2, 3, 5}}, // single b with more (unit) batch axes
      {{3, 4}, {2, 4, 5}, {2, 3, 5}}, // a broadcast over b's batch
      {{1, 2}, {2, 2, 1}, {2, 1, 1}}, // vector-like edges
    };
    Stream.Builder<Arguments> out = Stream.builder();
    for (int[][] s : shapes) {
      for (boolean ta : new boolean[] {false, true}) {
        for (boolean tb : new boolean[] {false, true}) {
          out.add(Arguments.of(s[0], s[1], s[2], ta, tb));
        }
      }
    }
    return out.build();
  }

  @ParameterizedTest(name = "{0} x {1} ta={3} tb={4}")
  @MethodSource("cases")
  void float64MatchesNaiveLoop(int[] aShape, int[] bShape, int[] outShape, boolean ta, boolean tb) {
    Random rnd = new Random(7);
    double[] a = random(rnd, size(aShape));
    double[] b = random(rnd, size(bShape));
    RawTensor out = backend.matmul(
        backend.fromDoubles(a, Shape.of(stored(aShape, ta))), backend.fromDoubles(b, Shape.of(stored(bShape, tb))), ta, tb);

    assertThat(out.shape()).isEqualTo(Shape.of(outShape));
    assertThat(out.toDoubleArray()).containsExactly(naive(a, aShape, ta, b, bShape, tb, outShape), within(1e-12));
  }

  @ParameterizedTest(name = "{0} x {1} ta={3} tb={4}")
  @MethodSource("cases")
  void float32MatchesNaiveLoop(int[] aShape, int[] bShape, int[] outShape, boolean ta, boolean tb) {
    Random rnd = new Random(11);
    double[] a = random(rnd, size(aShape));
    double[] b = random(rnd, size(bShape));
    RawTensor out = backend.matmul(
        backend.fromFloats(toFloats(a), Shape.of(stored(aShape, ta))),
        backend.fromFloats(toFloats(b), Shape.of(stored(bShape, tb))),
        ta,
        tb);

    double[] expected = naive(toDoubles(toFloats(a)), aShape, ta, toDoubles(toFloats(b)), bShape, tb, outShape);
    assertThat(out.shape()).isEqualTo(Shape.of(outShape));
    assertThat(toDoubles(out.toFloatArray())).containsExactly(expected, within(1e-5));
  }

  @Test
  void emptyInnerDimensionGivesZeros() {
    RawTensor out = backend.matmul(
        backend.fromDoubles(new double[0], Shape.of(2, 0)), backend.fromDoubles(new double[0], Shape.of(0, 3)), false, false);

    assertThat(out.shape()).isEqualTo(Shape.of(2, 3));
    assertThat(out.toDoubleArray()).containsExactly(0, 0, 0, 0, 0, 0);
  }

  @Test
  void smallProductByHand() {
    // [[1, 2], [3, 4]] @ [[5, 6], [7, 8]] = [[19, 22], [43, 50]]
    RawTensor out = backend.matmul(
        backend.fromFloats(new float[] {1, 2, 3, 4}, Shape.of(2, 2)),
        backend.fromFloats(new float[] {5, 6, 7, 8}, Shape.of(2, 2)),
        false,
        false);

    assertThat(out.toFloatArray()).containsExactly(19, 22, 43, 50);
  }

  @Test
  void aRightOperandReusedInManyProductsKeepsTheBitsOfAFreshOneAndSeesInPlaceWrites() {
    Random rnd = new Random(5);
    int n = 45;
    int k = 70;
    float[] w = toFloats(random(rnd, n * k));
    RawTensor weight = backend.fromFloats(w, Shape.of(n, k)); // the right operand of every product below, as W^T and as W
    for (int use = 0; use < 3; use++) { // from the second use on, its packed forms are kept
      assertReusedMatchesFresh(rnd, weight, w, n, k, "use " + use);
    }
    float[] delta = toFloats(random(rnd, n * k));
    backend.addInPlace(weight, backend.fromFloats(delta, Shape.of(n, k))); // an accumulation buffer's in-place write
    float[] written = new float[n * k];
    for (int i = 0; i < written.length; i++) {
      written[i] = w[i] + delta[i];
    }
    assertReusedMatchesFresh(rnd, weight, written, n, k, "after an in-place write");
  }

  @Test
  void attentionKeysReusedByOneRowQueriesKeepTheBitsOfFreshOnesAndSeeInPlaceWrites() {
    Random rnd = new Random(9);
    int batch = 5;
    int keys = 7;
    int size = 40;
    float[] k = toFloats(random(rnd, batch * keys * size));
    RawTensor memory = backend.fromFloats(k, Shape.of(batch, keys, size)); // keys as q k^T, values as w v
    for (int step = 0; step < 3; step++) { // from the second step on, the packed forms are kept
      assertReusedKeysMatchFresh(rnd, memory, k, batch, keys, size, "step " + step);
    }
    float[] delta = toFloats(random(rnd, k.length));
    backend.addInPlace(memory, backend.fromFloats(delta, Shape.of(batch, keys, size)));
    float[] written = new float[k.length];
    for (int i = 0; i < written.length; i++) {
      written[i] = k[i] + delta[i];
    }
    assertReusedKeysMatchFresh(rnd, memory, written, batch, keys, size, "after an in-place write");
  }

  private void assertReusedKeysMatchFresh(Random rnd, RawTensor memory, float[] values, int batch, int keys, int size, String when) {
    RawTensor fresh = backend.fromFloats(values, Shape.of(batch, keys, size));
    RawTensor query = backend.fromFloats(toFloats(random(rnd, batch * size)), Shape.of(batch, 1, size));
    float[] scores = backend.matmul(query, memory, false, true).toFloatArray();
    assertThat(scores).as("%s, scores q k^T: bit-identical to fresh keys", when)
        .isEqualTo(backend.matmul(query, fresh, false, true).toFloatArray());
    RawTensor weights = backend.fromFloats(toFloats(random(rnd, batch * keys)), Shape.of(batch, 1, keys));
    float[] context = backend.matmul(weights, memory, false, false).toFloatArray();
    assertThat(context).as("%s, context w v: bit-identical to fresh values", when)
        .isEqualTo(backend.matmul(weights, fresh, false, false).toFloatArray());
    double[] expected = new double[keys]; // example 3's scores from the values themselves
    for (int j = 0; j < keys; j++) {
      for (int p = 0; p < size; p++) {
        expected[j] += (double) query.toFloatArray()[3 * size + p] * values[(3 * keys + j) * size + p];
      }
    }
    for (int j = 0; j < keys; j++) {
      assertThat(Tolerances.FLOAT32_MATMUL.accepts(scores[3 * keys + j], expected[j]))
          .as("%s, score %d of example 3: %s vs %s (%s)", when, j, scores[3 * keys + j], expected[j], Tolerances.FLOAT32_MATMUL)
          .isTrue();
    }
  }

  private void assertReusedMatchesFresh(Random rnd, RawTensor weight, float[] values, int n, int k, String when) {
    for (boolean tb : new boolean[] {false, true}) {
      int depth = tb ? k : n;
      RawTensor x = backend.fromFloats(toFloats(random(rnd, 2 * 9 * depth)), Shape.of(2, 9, depth));
      float[] reused = backend.matmul(x, weight, false, tb).toFloatArray();
      float[] fresh = backend.matmul(x, backend.fromFloats(values, Shape.of(n, k)), false, tb).toFloatArray();
      assertThat(reused).as("%s, tb=%s: bit-identical to a fresh operand", when, tb).isEqualTo(fresh);
    }
  }

  // ---------------------------------------------------------------- naive reference

  /** The storage shape of a logical operand: last two axes swapped when transposed. */
  private static int[] stored(int[] logical, boolean transposed) {
    int[] s = logical.clone();
    if (transposed) {
      int r = s.length;
      s[r - 2] = logical[r - 1];
      s[r - 1] = logical[r - 2];
    }
    return s;
  }

  /**
   * Logical element {@code (batch, i, j)} of an operand stored as {@code stored(logical, t)}; the
   * output batch multi-index is mapped onto the operand's batch axes NumPy-style (size 1 repeats).
   */
  private static double element(double[] data, int[] logical, boolean t, int[] outBatch, int i, int j) {
    int rank = logical.length;
    int batchRank = rank - 2;
    int lead = outBatch.length - batchRank;
    int flat = 0;
    for (int d = 0; d < batchRank; d++) {
      int idx = logical[d] == 1 ? 0 : outBatch[lead + d];
      flat = flat * logical[d] + idx;
    }
    int rows = logical[rank - 2];
    int cols = logical[rank - 1];
    int matrix = flat * rows * cols;
    return t ? data[matrix + j * rows + i] : data[matrix + i * cols + j];
  }

  private static double[] naive(double[] a, int[] aShape, boolean ta, double[] b, int[] bShape, boolean tb, int[] outShape) {
    int rank = outShape.length;
    int m = outShape[rank - 2];
    int n = outShape[rank - 1];
    int k = aShape[aShape.length - 1];
    int batches = size(outShape) / (m * n);
    double[] out = new double[size(outShape)];
    int[] batch = new int[rank - 2];
    for (int p = 0; p < batches; p++) {
      int rest = p;
      for (int d = rank - 3; d >= 0; d--) {
        batch[d] = rest % outShape[d];
        rest /= outShape[d];
      }
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
          double sum = 0;
          for (int q = 0; q < k; q++) {
            sum += element(a, aShape, ta, batch, i, q) * element(b, bShape, tb, batch, q, j);
          }
          out[(p * m + i) * n + j] = sum;
        }
      }
    }
    return out;
  }

  private static int size(int[] dims) {
    int n = 1;
    for (int d : dims) {
      n *= d;
    }
    return n;
  }

  private static double[] random(Random rnd, int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = rnd.nextDouble() * 2 - 1;
    }
    return v;
  }

  private static float[] toFloats(double[] v) {
    float[] f = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      f[i] = (float) v[i];
    }
    return f;
  }

  private static double[] toDoubles(float[] v) {
    double[] d = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      d[i] = v[i];
    }
    return d;
  }
}
