package dev.seq2seq.backend.ejml.gemm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.seq2seq.api.conformance.Tolerance;
import dev.seq2seq.api.conformance.Tolerances;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Vector API GEMM against a naive double-precision loop: odd sizes around the register tile
 * (MR x NR) and cache blocks (MC, KC, NC), every transpose combination, matrices at offsets (as in
 * a batch), both thread splits, and bit-identical results across runs and thread counts.
 */
class VectorGemmTest {
  private static final Tolerance TOL = Tolerances.FLOAT32_MATMUL;
  private static final FloatGemm ONE = FloatGemms.vector(1);
  private static final FloatGemm TWO = FloatGemms.vector(2);

  static Stream<Arguments> shapes() {
    int mr = Kernel.MR;
    int nr = Kernel.NR;
    int[][] mnk = {
      {1, 1, 1}, {7, 13, 5}, {65, 257, 33}, {mr, nr, 1}, {mr + 1, nr + 1, 3}, {mr - 1, nr - 1, 2},
      {3, 2 * nr + 5, Blocking.KC + 1}, {Blocking.MC + mr + 3, 17, 2 * Blocking.KC + 7},
      {2, Blocking.NC + nr + 9, 19}, {130, 70, 300}, {1, 300, 64}, {300, 1, 64},
      {300, 261, 1}, // an outer product large enough to be split over threads
      {64, 1000, 80}, // wide and split: by columns, or by rows with B packed already
      {1, 9 * nr + 5, 2 * Blocking.KC + 7}, // one row: groups of panels, a partial panel, three depth slices
      {1, 1000, 80}, // one row times a B large enough to be split by columns (packed or not)
    };
    Stream.Builder<Arguments> out = Stream.builder();
    for (int[] s : mnk) {
      for (boolean ta : new boolean[] {false, true}) {
        for (boolean tb : new boolean[] {false, true}) {
          out.add(Arguments.of(s[0], s[1], s[2], ta, tb));
        }
      }
    }
    return out.build();
  }

  @ParameterizedTest(name = "m={0} n={1} k={2} ta={3} tb={4}")
  @MethodSource("shapes")
  void matchesNaiveLoopOnOneAndTwoThreads(int m, int n, int k, boolean ta, boolean tb) {
    Random rnd = new Random(31L * m + 17L * n + k);
    float[] a = random(rnd, m * k);
    float[] b = random(rnd, k * n);
    double[] expected = naive(ta, tb, m, n, k, a, 0, b, 0);
    for (FloatGemm gemm : new FloatGemm[] {ONE, TWO}) {
      float[] c = new float[m * n];
      Arrays.fill(c, Float.NaN); // C is overwritten, never read
      gemm.multiply(ta, tb, m, n, k, a, 0, b, 0, c, 0);
      assertClose(c, 0, expected, gemm.description());
    }
  }

  @Test
  void matricesAtOffsetsLeaveTheRestOfTheArraysAlone() {
    Random rnd = new Random(5);
    int m = 9;
    int n = 35;
    int k = 12;
    for (boolean ta : new boolean[] {false, true}) {
      for (boolean tb : new boolean[] {false, true}) {
        float[] a = random(rnd, 3 * m * k);
        float[] b = random(rnd, 2 * k * n + 1);
        float[] c = new float[3 * m * n + 2];
        Arrays.fill(c, 42f);
        // batch of 3: a[i], b[i % 2 offset by one element], c[i] shifted by 1
        for (int i = 0; i < 3; i++) {
          int bOff = (i % 2) * k * n + 1;
          ONE.multiply(ta, tb, m, n, k, a, i * m * k, b, bOff, c, 1 + i * m * n);
          assertClose(c, 1 + i * m * n, naive(ta, tb, m, n, k, a, i * m * k, b, bOff), "batch " + i);
        }
        assertThat(c[0]).isEqualTo(42f);
        assertThat(c[c.length - 1]).isEqualTo(42f);
      }
    }
  }

  @Test
  void emptyInnerDimensionGivesZerosAndEmptyOutputsAreFine() {
    float[] c = {1, 2, 3, 4, 5, 6};
    TWO.multiply(false, false, 2, 3, 0, new float[0], 0, new float[0], 0, c, 0);
    assertThat(c).containsOnly(0f);
    TWO.multiply(false, false, 0, 3, 4, new float[0], 0, new float[12], 0, new float[0], 0);
    TWO.multiply(true, true, 3, 0, 4, new float[12], 0, new float[0], 0, new float[0], 0);
  }

  /**
   * Large enough for the parallel path: shapes split over N (160 x 1000 either way, 64 x 1000 with B
   * transposed), over M (64 x 1000 reading B in place, tall and narrow), and a two-row product (the
   * unpacked path when B is not transposed).
   */
  @Test
  void multiThreadedSplitsAreBitIdenticalToOneThreadAndAcrossRuns() {
    int[][] shapes = {{64, 1000, 300}, {160, 1000, 200}, {1000, 20, 300}, {257, 259, 261}, {VectorGemm.ROWS_MAX_M, 4000, 300}};
    for (int[] s : shapes) {
      int m = s[0];
      int n = s[1];
      int k = s[2];
      assertThat(2L * m * n * k).isGreaterThanOrEqualTo(VectorGemm.PARALLEL_FLOPS);
      Random rnd = new Random(m + n + k);
      float[] a = random(rnd, m * k);
      float[] b = random(rnd, k * n);
      for (boolean ta : new boolean[] {false, true}) {
        for (boolean tb : new boolean[] {false, true}) {
          float[] single = new float[m * n];
          ONE.multiply(ta, tb, m, n, k, a, 0, b, 0, single, 0);
          assertClose(single, 0, naive(ta, tb, m, n, k, a, 0, b, 0), "1 thread");
          for (int run = 0; run < 3; run++) {
            float[] multi = new float[m * n];
            TWO.multiply(ta, tb, m, n, k, a, 0, b, 0, multi, 0);
            assertThat(multi).as("2 threads, run %d, %dx%dx%d ta=%s tb=%s", run, m, n, k, ta, tb).isEqualTo(single);
          }
        }
      }
    }
  }

  @Test
  void sharesCutTheOperandWhosePackingCostsMore() {
    int cost = VectorGemm.PACK_COST;
    int direct = 2 * (Blocking.DIRECT_B_MAX_ROWS / Kernel.MR) * Kernel.MR; // the most rows two shares read B in place for
    // row shares of at most DIRECT_B_MAX_ROWS read B stored k x n in place: rows, however wide C
    assertThat(VectorGemm.cutsRows(false, direct, 1000, 2)).isTrue();
    assertThat(VectorGemm.cutsRows(false, direct + Kernel.MR, 1000, 2)).isFalse();
    assertThat(VectorGemm.cutsRows(false, 128, 128, 2)).isTrue();
    // else A costs PACK_COST an element against 1 for B stored k x n
    assertThat(VectorGemm.cutsRows(false, 256, cost * 256 - 1, 2)).isTrue();
    assertThat(VectorGemm.cutsRows(false, 256, cost * 256, 2)).isFalse();
    assertThat(VectorGemm.cutsRows(false, direct, 1000, 1)).isFalse(); // one share of all rows: B packed
    // a transposed B costs what A does: the larger side of C is cut
    assertThat(VectorGemm.cutsRows(true, 64, 1000, 2)).isFalse();
    assertThat(VectorGemm.cutsRows(true, 128, 128, 2)).isFalse();
    assertThat(VectorGemm.cutsRows(true, 129, 128, 2)).isTrue();
  }

  @Test
  void concurrentCallersShareThePoolSafely() throws Exception {
    int m = 96;
    int n = 200;
    int k = 150;
    Random rnd = new Random(9);
    float[] a = random(rnd, m * k);
    float[] b = random(rnd, k * n);
    float[] expected = new float[m * n];
    ONE.multiply(false, true, m, n, k, a, 0, b, 0, expected, 0);
    ExecutorService callers = Executors.newFixedThreadPool(4);
    try {
      Future<?>[] futures = new Future<?>[8];
      for (int i = 0; i < futures.length; i++) {
        futures[i] = callers.submit(() -> {
          for (int r = 0; r < 5; r++) {
            float[] c = new float[m * n];
            TWO.multiply(false, true, m, n, k, a, 0, b, 0, c, 0);
            assertThat(c).isEqualTo(expected);
          }
        });
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      callers.shutdown();
    }
  }

  // ---------------------------------------------------------------- reference

  /** {@code op(A) op(B)} in double from the float inputs; A is stored m x k (k x m if ta), etc. */
  static double[] naive(boolean ta, boolean tb, int m, int n, int k, float[] a, int aOff, float[] b, int bOff) {
    double[] c = new double[m * n];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double sum = 0;
        for (int p = 0; p < k; p++) {
          double x = ta ? a[aOff + p * m + i] : a[aOff + i * k + p];
          double y = tb ? b[bOff + j * k + p] : b[bOff + p * n + j];
          sum += x * y;
        }
        c[i * n + j] = sum;
      }
    }
    return c;
  }

  static void assertClose(float[] actual, int offset, double[] expected, String what) {
    for (int i = 0; i < expected.length; i++) {
      if (!TOL.accepts(actual[offset + i], expected[i])) {
        fail("%s: element %d is %s, expected %s (%s)", what, i, actual[offset + i], expected[i], TOL);
      }
    }
  }

  /** Uniform in [-1, 1): with K up to ~500 the float32 rounding stays well inside FLOAT32_MATMUL. */
  static float[] random(Random rnd, int size) {
    float[] x = new float[size];
    for (int i = 0; i < size; i++) {
      x[i] = rnd.nextFloat() * 2 - 1;
    }
    return x;
  }

  @ParameterizedTest(name = "m={0} n={1} k={2} ta={3} tb={4}")
  @MethodSource("shapes")
  void multiplyAddAddsTheProductToCOnOneAndTwoThreads(int m, int n, int k, boolean ta, boolean tb) {
    Random rnd = new Random(37L * m + 11L * n + k);
    float[] a = random(rnd, m * k);
    float[] b = random(rnd, k * n);
    float[] c0 = random(rnd, m * n + 4);
    for (FloatGemm gemm : new FloatGemm[] {ONE, TWO}) {
      float[] product = new float[m * n];
      gemm.multiply(ta, tb, m, n, k, a, 0, b, 0, product, 0);
      float[] c = c0.clone();

      gemm.multiplyAdd(ta, tb, m, n, k, a, 0, b, 0, c, 2);

      assertThat(c[0]).isEqualTo(c0[0]);
      assertThat(c[c.length - 1]).isEqualTo(c0[c.length - 1]);
      for (int i = 0; i < m * n; i++) {
        float sum = c0[2 + i] + product[i];
        if (k <= Blocking.KC) {
          // One depth slice: C + (its fma chain) is exactly what multiply-then-add rounds.
          assertThat(c[2 + i]).as("%s element %s (k within one slice: bit-identical)", gemm.description(), i).isEqualTo(sum);
        } else if (!TOL.accepts(c[2 + i], sum)) {
          fail("%s: element %d is %s, expected %s (%s)", gemm.description(), i, c[2 + i], sum, TOL);
        }
      }
    }
  }

  @ParameterizedTest(name = "{3} products of {0}x{2}x{1}")
  @CsvSource({"20, 20, 32, 257", "1, 20, 256, 64", "20, 256, 1, 64"}) // per-head products; per-row attention (thin paths)
  void batchesOfSmallProductsSplitOverThreadsWithTheBitsOfOneByOneProducts(int m, int n, int k, int count) {
    assertThat(2L * m * n * k * count).isGreaterThanOrEqualTo(VectorGemm.PARALLEL_BATCH_FLOPS);
    Random rnd = new Random(21);
    float[] a = random(rnd, count * m * k + 3);
    float[] b = random(rnd, k * n * 2);
    int[] aOffs = new int[count];
    int[] bOffs = new int[count];
    int[] cOffs = new int[count];
    for (int i = 0; i < count; i++) {
      aOffs[i] = 3 + (count - 1 - i) * m * k; // any order
      bOffs[i] = (i % 2) * k * n; // a broadcast operand: B matrices repeat
      cOffs[i] = i * m * n;
    }
    for (boolean ta : new boolean[] {false, true}) {
      for (boolean tb : new boolean[] {false, true}) {
        float[] oneByOne = new float[count * m * n];
        for (int i = 0; i < count; i++) {
          ONE.multiply(ta, tb, m, n, k, a, aOffs[i], b, bOffs[i], oneByOne, cOffs[i]);
        }
        assertClose(oneByOne, 5 * m * n, naive(ta, tb, m, n, k, a, aOffs[5], b, bOffs[5]), "product 5 alone");
        for (FloatGemm gemm : new FloatGemm[] {ONE, TWO, FloatGemms.ejml()}) {
          float[] batched = new float[count * m * n];
          gemm.multiplyBatch(ta, tb, m, n, k, count, a, aOffs, b, bOffs, batched, cOffs);
          if (gemm == FloatGemms.ejml()) {
            for (int i = 0; i < count; i += 64) {
              assertClose(batched, cOffs[i], naive(ta, tb, m, n, k, a, aOffs[i], b, bOffs[i]), "ejml batch, product " + i);
            }
          } else {
            // isEqualTo compares like Arrays.equals, in one pass (containsExactly took 49 s on 327k elements)
            assertThat(batched).as("%s, batch of %d %dx%dx%d ta=%s tb=%s", gemm.description(), count, m, n, k, ta, tb)
                .isEqualTo(oneByOne);
          }
        }
      }
    }
  }

  @ParameterizedTest(name = "m={0} n={1} k={2} ta={3} tb={4}")
  @MethodSource("shapes")
  void rightOperandsPackedOnceGiveTheBitsOfMultiplyOnOneAndTwoThreads(int m, int n, int k, boolean ta, boolean tb) {
    Random rnd = new Random(7L * m + 5L * n + k);
    float[] a = random(rnd, m * k + 3);
    float[] b = random(rnd, k * n + 2);
    for (FloatGemm gemm : new FloatGemm[] {ONE, TWO}) {
      float[] packed = new float[gemm.packedRightLength(k, n)];
      Arrays.fill(packed, Float.NaN); // every element, padding included, is written
      gemm.packRight(tb, k, n, b, 2, packed, 0);
      float[] expected = new float[m * n + 1];
      gemm.multiply(ta, tb, m, n, k, a, 3, b, 2, expected, 1);
      float[] c = new float[m * n + 1];
      Arrays.fill(c, Float.NaN); // C is overwritten, never read
      c[0] = 42f;
      gemm.multiplyPackedRight(ta, m, n, k, a, 3, packed, c, 1);
      assertThat(c[0]).as("before C's offset").isEqualTo(42f);
      assertThat(Arrays.copyOfRange(c, 1, c.length)).as("%s, packed B vs multiply", gemm.description())
          .isEqualTo(Arrays.copyOfRange(expected, 1, expected.length));
    }
  }

  @ParameterizedTest(name = "{2} rows of 1x{1}x{0}")
  @CsvSource({"20, 256, 64", "20, 263, 64", "256, 20, 64", "70, 33, 3", "2, 2, 1", "20, 0, 3"}) // keys (k past one depth slice), values, ragged, empty depth
  void rowsTimesTheirOwnPackedRightOperandsGiveTheBitsOfMultiplyOnOneAndTwoThreads(int n, int k, int count) {
    Random rnd = new Random(31L * n + k);
    float[] a = random(rnd, count * k + 3);
    int matrices = Math.max(1, count / 2); // a broadcast operand: rows share B matrices
    float[] b = random(rnd, matrices * k * n + 5);
    int[] aOffs = new int[count];
    int[] bOffs = new int[count];
    int[] cOffs = new int[count];
    for (int i = 0; i < count; i++) {
      aOffs[i] = 3 + (count - 1 - i) * k; // any order
      bOffs[i] = 5 + (i % matrices) * k * n;
      cOffs[i] = 1 + i * n;
    }
    for (boolean tb : new boolean[] {false, true}) {
      float[] expected = new float[count * n + 1];
      expected[0] = 42f;
      for (int i = 0; i < count; i++) {
        ONE.multiply(false, tb, 1, n, k, a, aOffs[i], b, bOffs[i], expected, cOffs[i]);
      }
      assertClose(expected, cOffs[count - 1], naive(false, tb, 1, n, k, a, aOffs[count - 1], b, bOffs[count - 1]), "last row alone");
      for (FloatGemm gemm : new FloatGemm[] {ONE, TWO}) {
        int length = gemm.packedRightLength(k, n);
        float[] packed = new float[1 + matrices * length];
        int[] packedOffs = new int[count];
        for (int j = 0; j < matrices; j++) {
          gemm.packRight(tb, k, n, b, 5 + j * k * n, packed, 1 + j * length);
        }
        for (int i = 0; i < count; i++) {
          packedOffs[i] = 1 + (i % matrices) * length;
        }
        float[] c = new float[count * n + 1];
        Arrays.fill(c, Float.NaN); // C is overwritten, never read
        c[0] = 42f;
        gemm.multiplyRowsPackedRight(n, k, count, a, aOffs, packed, packedOffs, c, cOffs);
        assertThat(c[0]).as("before the first row's offset").isEqualTo(42f);
        assertThat(c).as("%s, %d rows of 1x%dx%d tb=%s, each B packed, vs multiply", gemm.description(), count, k, n, tb)
            .isEqualTo(expected);
      }
    }
  }

  @Test
  void aRowGetsTheSameBitsInAProductOfOneTwoOrManyRowsPackedOrNot() {
    int k = 2 * Blocking.KC + 7; // three depth slices: every path must sum them alike
    int n = 3 * Kernel.NR + 7;
    int m = 64;
    Random rnd = new Random(23);
    float[] a = random(rnd, m * k);
    for (boolean tb : new boolean[] {false, true}) {
      float[] b = random(rnd, k * n);
      for (FloatGemm gemm : new FloatGemm[] {ONE, TWO}) {
        float[] all = new float[m * n];
        gemm.multiply(false, tb, m, n, k, a, 0, b, 0, all, 0);
        float[] packed = new float[gemm.packedRightLength(k, n)];
        gemm.packRight(tb, k, n, b, 0, packed, 0);
        for (int r : new int[] {0, 5, m - 2}) {
          float[] expected = Arrays.copyOfRange(all, r * n, (r + 2) * n);
          float[] two = new float[2 * n];
          gemm.multiply(false, tb, 2, n, k, a, r * k, b, 0, two, 0);
          float[] one = new float[n];
          gemm.multiply(false, tb, 1, n, k, a, r * k, b, 0, one, 0);
          float[] onePacked = new float[n];
          gemm.multiplyPackedRight(false, 1, n, k, a, r * k, packed, onePacked, 0);
          String what = String.format("%s, tb=%s, row %d", gemm.description(), tb, r);
          assertThat(two).as("%s in a two-row product", what).isEqualTo(expected);
          assertThat(one).as("%s alone", what).isEqualTo(Arrays.copyOf(expected, n));
          assertThat(onePacked).as("%s alone, B packed", what).isEqualTo(Arrays.copyOf(expected, n));
        }
      }
    }
  }

  @Test
  void fewRowsReadBInPlaceWithTheBitsOfPackedB() {
    int rows = Blocking.DIRECT_B_MAX_ROWS;
    int m = 2 * rows + 3; // one share of all rows packs B; the first rows alone read it in place
    int n = 3 * Kernel.NR + 5; // a partial last micro-panel
    int k = Blocking.KC + 19; // two depth slices
    Random rnd = new Random(17);
    float[] b = random(rnd, k * n + 1);
    for (boolean ta : new boolean[] {false, true}) {
      float[] a = random(rnd, m * k);
      float[] packed = new float[m * n];
      Blocking.compute(ta, false, m, n, k, a, 0, b, 1, packed, 0, 0, m, 0, n, false);
      float[] direct = new float[m * n];
      Blocking.compute(ta, false, m, n, k, a, 0, b, 1, direct, 0, 0, rows, 0, n, false);
      assertThat(Arrays.copyOf(direct, rows * n)).as("first %d rows, B in place, ta=%s", rows, ta)
          .isEqualTo(Arrays.copyOf(packed, rows * n));
      float[] addedPacked = Arrays.copyOf(packed, m * n);
      Blocking.compute(ta, false, m, n, k, a, 0, b, 1, addedPacked, 0, 0, m, 0, n, true);
      float[] addedDirect = Arrays.copyOf(packed, m * n);
      Blocking.compute(ta, false, m, n, k, a, 0, b, 1, addedDirect, 0, 0, rows, 0, n, true);
      assertThat(Arrays.copyOf(addedDirect, rows * n)).as("C += AB, first %d rows, B in place, ta=%s", rows, ta)
          .isEqualTo(Arrays.copyOf(addedPacked, rows * n));
      assertThat(addedDirect[0]).as("C += AB added").isNotEqualTo(packed[0]);
    }
  }

  @Test
  void largeVectorMatrixProductsSplitOverThreadsWithTheSameBits() {
    int n = 1000;
    int k = Blocking.KC + 77; // k * n above VectorGemm.PARALLEL_MATRIX_ELEMENTS
    Random rnd = new Random(9);
    float[] a = random(rnd, k + 1);
    float[] b = random(rnd, n * k + 2);
    float[] packed = new float[n];
    Blocking.compute(false, true, 1, n, k, a, 1, b, 2, packed, 0, 0, 1, 0, n, false);
    for (FloatGemm gemm : new FloatGemm[] {ONE, TWO}) {
      float[] c = new float[n];
      gemm.multiply(false, true, 1, n, k, a, 1, b, 2, c, 0);
      assertThat(c).as("%s, 1 x %s x %s tB", gemm.description(), k, n).isEqualTo(packed);
    }
  }

  @Test
  void largeOuterProductsSplitOverThreadsWithTheBitsOfThePackedPath() {
    int m = 260; // just above VectorGemm.PARALLEL_MATRIX_ELEMENTS with n (training: 1280 x 256)
    int n = 256 + 5; // a scalar tail in every row
    assertThat((long) m * n).isGreaterThanOrEqualTo(VectorGemm.PARALLEL_MATRIX_ELEMENTS);
    Random rnd = new Random(12);
    float[] a = random(rnd, m + 1);
    float[] b = random(rnd, n + 2);
    float[] packed = new float[m * n];
    Blocking.compute(false, false, m, n, 1, a, 1, b, 2, packed, 0, 0, m, 0, n, false);
    for (FloatGemm gemm : new FloatGemm[] {ONE, TWO}) {
      for (boolean ta : new boolean[] {false, true}) { // A is m x 1 or 1 x m: the same numbers
        float[] c = new float[m * n + 3];
        Arrays.fill(c, Float.NaN);
        gemm.multiply(ta, false, m, n, 1, a, 1, b, 2, c, 3);
        assertThat(Arrays.copyOfRange(c, 3, c.length)).as("%s, %sx1x%s ta=%s", gemm.description(), m, n, ta).isEqualTo(packed);
      }
    }
  }

  @Test
  void thinProductsAreBitIdenticalToThePackedPath() {
    int[][] mnk = {{9, 37, 1}, {300, 261, 1}, {70, 1, 40}, {70, 1, Blocking.KC + 45}, {1, 33, 300}, {1, 20, 256}, {1, 45, Blocking.KC + 45}};
    Random rnd = new Random(8);
    for (int[] s : mnk) {
      for (boolean ta : new boolean[] {false, true}) {
        for (boolean tb : new boolean[] {false, true}) {
          int m = s[0];
          int n = s[1];
          int k = s[2];
          if (!Thin.handles(tb, m, n, k)) {
            continue;
          }
          float[] a = random(rnd, m * k + 3);
          float[] b = random(rnd, k * n + 5);
          float[] thin = new float[m * n + 2];
          float[] packed = new float[m * n + 2];
          Thin.compute(ta, tb, m, n, k, a, 3, b, 5, thin, 2);
          Blocking.compute(ta, tb, m, n, k, a, 3, b, 5, packed, 2, 0, m, 0, n, false);
          assertThat(thin).as("m=%s n=%s k=%s ta=%s tb=%s", m, n, k, ta, tb).isEqualTo(packed);
        }
      }
    }
  }

  @ParameterizedTest(name = "{0}x{1} += blocks of depths {2}")
  @CsvSource({
    "300, 261, 64 64 64 64 64", // time steps of one depth; slices of KC straddle blocks
    "19, 40, 3 0 300 1 7", // an empty block, a block over a whole slice and beyond, one-row blocks
    "130, 70, 1 1", // total depth 2, each block alone an outer product
    "2, 70, 40 40", // few rows: block by block
    "70, 1, 40 40" // one column: block by block
  })
  void transposedBlocksAddTheProductOfTheirConcatenationsOnOneAndTwoThreads(int m, int n, String depths) {
    int[] ks = Arrays.stream(depths.split(" ")).mapToInt(Integer::parseInt).toArray();
    int k = Arrays.stream(ks).sum();
    Random rnd = new Random(m + 7L * n + k);
    float[][] as = new float[ks.length][];
    float[][] bs = new float[ks.length][];
    int[] aOffs = new int[ks.length];
    int[] bOffs = new int[ks.length];
    float[] aAll = new float[k * m]; // the concatenations
    float[] bAll = new float[k * n];
    for (int i = 0, row = 0; i < ks.length; row += ks[i], i++) {
      aOffs[i] = i % 3;
      bOffs[i] = 2 - i % 3;
      as[i] = random(rnd, aOffs[i] + ks[i] * m + 1);
      bs[i] = random(rnd, bOffs[i] + ks[i] * n);
      System.arraycopy(as[i], aOffs[i], aAll, row * m, ks[i] * m);
      System.arraycopy(bs[i], bOffs[i], bAll, row * n, ks[i] * n);
    }
    float[] c0 = random(rnd, m * n + 3);
    double[] expected = naive(true, false, m, n, k, aAll, 0, bAll, 0);
    for (int i = 0; i < expected.length; i++) {
      expected[i] += c0[1 + i];
    }
    boolean packedPath = !Thin.handles(false, m, n, k) && m > VectorGemm.ROWS_MAX_M;
    for (FloatGemm gemm : new FloatGemm[] {ONE, TWO}) {
      float[] c = c0.clone();

      gemm.multiplyAddTransposedBlocks(m, n, ks, as, aOffs, bs, bOffs, c, 1);

      assertThat(c[0]).as("before C's offset").isEqualTo(c0[0]);
      assertThat(c[c.length - 1]).as("after C").isEqualTo(c0[c.length - 1]);
      assertClose(c, 1, expected, gemm.description() + ", A^T B of the concatenations");
      if (packedPath) {
        float[] concatenated = c0.clone();
        gemm.multiplyAdd(true, false, m, n, k, aAll, 0, bAll, 0, concatenated, 1);
        assertThat(c).as("%s, the bits of multiplyAdd on concatenated copies", gemm.description()).isEqualTo(concatenated);
      }
    }
  }
}
