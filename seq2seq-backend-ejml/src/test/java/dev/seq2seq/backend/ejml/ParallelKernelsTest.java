package dev.seq2seq.backend.ejml;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seq2seq.api.backend.Op;
import dev.seq2seq.api.backend.RawTensor;
import dev.seq2seq.api.tensor.Shape;
import dev.seq2seq.backend.ejml.gemm.Parallel;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The kernels that split large inputs over the GEMM threads ({@link Parallel#forRange}) give the
 * bits they give on small inputs, which run in one range: each kernel on a tensor of many rows
 * equals the same kernel applied to chunks of a few rows and joined.
 */
class ParallelKernelsTest {
  private static final int ROWS = 1024; // with the row lengths below, several GRAINs of work: split
  private static final int CHUNK = 16; // rows per small call: far below GRAIN, one range
  private final EjmlBackend backend = new EjmlBackend();
  private final Random rnd = new Random(3);

  private RawTensor random(int rows, int cols, double scale) {
    float[] v = new float[rows * cols];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (rnd.nextGaussian() * scale);
    }
    return backend.fromFloats(v, Shape.of(rows, cols));
  }

  private RawTensor rowsOf(RawTensor t, int from, int count) {
    return backend.slice(t, new int[] {from, 0}, new int[] {count, t.shape().dim(1)});
  }

  /** Asserts that {@code kernel} on all rows of {@code inputs} equals it on chunks of {@link #CHUNK} rows. */
  private void assertSplitInvisible(String what, List<RawTensor> inputs, Function<List<RawTensor>, RawTensor[]> kernel) {
    long elements = inputs.stream().mapToLong(t -> t.shape().size()).sum();
    assertThat(elements).as("%s: large enough to split", what).isGreaterThanOrEqualTo(2L * Parallel.GRAIN);
    RawTensor[] whole = kernel.apply(inputs);
    List<List<float[]>> chunks = new ArrayList<>();
    for (int r = 0; r < ROWS; r += CHUNK) {
      List<RawTensor> part = new ArrayList<>();
      for (RawTensor in : inputs) {
        part.add(rowsOf(in, r, CHUNK));
      }
      List<float[]> outs = new ArrayList<>();
      for (RawTensor out : kernel.apply(part)) {
        outs.add(out.toFloatArray());
      }
      chunks.add(outs);
    }
    for (int o = 0; o < whole.length; o++) {
      float[] joined = new float[whole[o].shape().size()];
      int at = 0;
      for (List<float[]> c : chunks) {
        System.arraycopy(c.get(o), 0, joined, at, c.get(o).length);
        at += c.get(o).length;
      }
      assertThat(whole[o].toFloatArray()).as("%s, output %d: one call vs chunks of %d rows", what, o, CHUNK).isEqualTo(joined);
    }
  }

  @Test
  void unaryActivationsAndTheirGradients() {
    RawTensor x = random(ROWS, 256, 2);
    RawTensor g = random(ROWS, 256, 1);
    for (Op op : new Op[] {Op.TANH, Op.SIGMOID, Op.EXP, Op.RELU, Op.NEG}) {
      assertSplitInvisible(op.label(), List.of(x), in -> new RawTensor[] {backend.unary(op, in.get(0))});
    }
    assertSplitInvisible("tanh gradient", List.of(g, x), in -> new RawTensor[] {backend.tanhGradient(in.get(0), in.get(1))});
    assertSplitInvisible("sigmoid gradient", List.of(g, x), in -> new RawTensor[] {backend.sigmoidGradient(in.get(0), in.get(1))});
    assertSplitInvisible("relu gradient", List.of(g, x), in -> new RawTensor[] {backend.reluGradient(in.get(0), in.get(1))});
  }

  @Test
  void binaryOpsOnEqualShapesAndAdam() {
    RawTensor a = random(ROWS, 256, 1);
    RawTensor b = random(ROWS, 256, 1);
    for (Op op : new Op[] {Op.ADD, Op.MUL, Op.DIV}) {
      assertSplitInvisible(op.label(), List.of(a, b), in -> new RawTensor[] {backend.binary(op, in.get(0), in.get(1))});
    }
    RawTensor v = backend.unary(Op.EXP, random(ROWS, 256, 1));
    assertSplitInvisible("adam", List.of(a, b, random(ROWS, 256, 0.1), v),
        in -> backend.adamStep(in.get(0), in.get(1), in.get(2), in.get(3), 0.9, 0.1, 0.999, 0.001, 1e-8, 0.3, 1e-3));
  }

  @Test
  void softmaxAndLogSoftmaxRows() {
    RawTensor x = random(ROWS, 300, 3);
    assertSplitInvisible("softmax", List.of(x), in -> new RawTensor[] {backend.softmax(in.get(0), 1)});
    assertSplitInvisible("log-softmax", List.of(x), in -> new RawTensor[] {backend.logSoftmax(in.get(0), 1)});
  }

  @Test
  void recurrentCellsForwardAndBackward() {
    int h = 64;
    RawTensor gi = random(ROWS, 3 * h, 1);
    RawTensor gh = random(ROWS, 3 * h, 1);
    RawTensor hidden = random(ROWS, h, 1);
    assertSplitInvisible("gru cell", List.of(gi, gh, hidden), in -> backend.gruCell(in.get(0), in.get(1), in.get(2)));
    RawTensor[] gru = backend.gruCell(gi, gh, hidden);
    assertSplitInvisible("gru cell gradient", List.of(random(ROWS, h, 1), gru[1], hidden),
        in -> backend.gruCellBackward(in.get(0), in.get(1), in.get(2)));
    RawTensor gates = random(ROWS, 4 * h, 1);
    RawTensor cell = random(ROWS, h, 1);
    assertSplitInvisible("lstm cell", List.of(gates, cell), in -> backend.lstmCell(in.get(0), in.get(1)));
    RawTensor[] lstm = backend.lstmCell(gates, cell);
    assertSplitInvisible("lstm cell gradient", List.of(random(ROWS, 2 * h, 1), lstm[1], cell),
        in -> backend.lstmCellBackward(in.get(0), in.get(1), in.get(2)));
  }

  @Test
  void layerNormForward() {
    int n = 128;
    RawTensor weight = backend.fromFloats(random(1, n, 1).toFloatArray(), Shape.of(n));
    RawTensor bias = backend.fromFloats(random(1, n, 1).toFloatArray(), Shape.of(n));
    assertSplitInvisible("layer norm", List.of(random(ROWS, n, 2)), in -> backend.layerNorm(in.get(0), weight, bias, 1e-5));
  }

  @Test
  void layerNormBackwardSplitsRowsForTheInputAndColumnsForTheWeightsWithoutChangingBits() {
    int n = 128;
    RawTensor x = random(ROWS, n, 2);
    RawTensor g = random(ROWS, n, 1);
    RawTensor weight = backend.fromFloats(random(1, n, 1).toFloatArray(), Shape.of(n));
    RawTensor bias = backend.fromFloats(random(1, n, 1).toFloatArray(), Shape.of(n));
    RawTensor[] forward = backend.layerNorm(x, weight, bias, 1e-5);
    // dx: each row on its own, so chunks of rows give its bits
    assertSplitInvisible("layer norm input gradient", List.of(g, x, backend.reshape(forward[1], Shape.of(ROWS, 1)),
        backend.reshape(forward[2], Shape.of(ROWS, 1))), in -> new RawTensor[] {backend.layerNormBackward(in.get(0), in.get(1),
        weight, backend.reshape(in.get(2), Shape.of(in.get(2).shape().dim(0))), backend.reshape(in.get(3), Shape.of(in.get(3).shape().dim(0))))[0]});
    // dWeight, dBias: every column sums the rows in order, in double
    float[] gs = g.toFloatArray();
    float[] xs = x.toFloatArray();
    float[] means = forward[1].toFloatArray();
    float[] rstds = forward[2].toFloatArray();
    double[] dw = new double[n];
    double[] db = new double[n];
    for (int r = 0; r < ROWS; r++) {
      for (int j = 0; j < n; j++) {
        dw[j] += (double) gs[r * n + j] * (((double) xs[r * n + j] - means[r]) * (double) rstds[r]);
        db[j] += gs[r * n + j];
      }
    }
    RawTensor[] grads = backend.layerNormBackward(g, x, weight, forward[1], forward[2]);
    float[] expectedW = new float[n];
    float[] expectedB = new float[n];
    for (int j = 0; j < n; j++) {
      expectedW[j] = (float) dw[j];
      expectedB[j] = (float) db[j];
    }
    assertThat(grads[1].toFloatArray()).as("weight gradient: rows in order, in double").isEqualTo(expectedW);
    assertThat(grads[2].toFloatArray()).as("bias gradient: rows in order, in double").isEqualTo(expectedB);
  }

  @Test
  void sumsOverLeadingAndMiddleAxesAddTheRowsInOrderWhateverTheColumnSplit() {
    int[][] shapes = {{ROWS, 300}, {8, 128, 96}};
    for (int[] dims : shapes) {
      int cols = dims[dims.length - 1];
      int outer = dims.length == 3 ? dims[0] : 1;
      int inner = dims.length == 3 ? dims[1] : dims[0]; // the reduced axis
      RawTensor x = random(outer * inner, cols, 1);
      RawTensor shaped = backend.reshape(x, Shape.of(dims));
      float[] xs = x.toFloatArray();
      float[] expected = new float[outer * cols];
      for (int a = 0; a < outer; a++) {
        for (int j = 0; j < cols; j++) {
          double sum = 0;
          for (int r = 0; r < inner; r++) {
            sum += xs[(a * inner + r) * cols + j];
          }
          expected[a * cols + j] = (float) sum;
        }
      }
      RawTensor summed = backend.reduce(Op.SUM, shaped, new int[] {dims.length - 2}, false);
      assertThat(summed.toFloatArray()).as("sum of %s over axis %d: each column's rows in order, in double", Shape.of(dims), dims.length - 2)
          .isEqualTo(expected);
    }
  }

  @Test
  void sumsAndMeansOverAllLeadingAxesAddTheRowsInOrder() {
    int[] dims = {8, 160, 96}; // a bias gradient [B, T, N] -> [N], rows walked by index
    RawTensor x = random(8 * 160, 96, 3);
    float[] xs = x.toFloatArray();
    float[] sums = new float[96];
    float[] means = new float[96];
    for (int j = 0; j < 96; j++) {
      double sum = 0;
      for (int r = 0; r < 8 * 160; r++) {
        sum += xs[r * 96 + j];
      }
      sums[j] = (float) sum;
      means[j] = (float) (sum / (8 * 160));
    }
    RawTensor shaped = backend.reshape(x, Shape.of(dims));
    RawTensor summed = backend.reduce(Op.SUM, shaped, new int[] {0, 1}, true);
    assertThat(summed.shape()).isEqualTo(Shape.of(1, 1, 96));
    assertThat(summed.toFloatArray()).as("sum of %s over axes 0 and 1: rows in order, in double", Shape.of(dims)).isEqualTo(sums);
    assertThat(backend.reduce(Op.MEAN, shaped, new int[] {0, 1}, false).toFloatArray()).as("mean").isEqualTo(means);
    RawTensor overFirst = backend.reduce(Op.SUM, shaped, new int[] {0}, false); // kept [160, 96]: columns of 160 * 96
    assertThat(overFirst.shape()).isEqualTo(Shape.of(160, 96));
    float[] firstExpected = new float[160 * 96];
    for (int c = 0; c < 160 * 96; c++) {
      double sum = 0;
      for (int b = 0; b < 8; b++) {
        sum += xs[b * 160 * 96 + c];
      }
      firstExpected[c] = (float) sum;
    }
    assertThat(overFirst.toFloatArray()).as("sum over axis 0 alone").isEqualTo(firstExpected);
  }

  @Test
  void broadcastBinaryOpsAndMaskedWhereByBlocksOfRows() {
    // [ROWS, 4, 32] against a per-row mask [ROWS, 1, 32]: blocks of rows along the middle axis
    RawTensor scores = backend.reshape(random(ROWS, 4 * 32, 1), Shape.of(ROWS, 4, 32));
    RawTensor mask = backend.binary(Op.GREATER, backend.reshape(random(ROWS, 32, 1), Shape.of(ROWS, 1, 32)),
        backend.fromFloats(new float[] {0f}, Shape.scalar()));
    RawTensor fill = backend.fromFloats(new float[] {-1e9f}, Shape.scalar());
    RawTensor[] whole = {backend.binary(Op.ADD, scores, mask), backend.where(mask, scores, fill)};
    float[][] joined = {new float[ROWS * 128], new float[ROWS * 128]};
    for (int r = 0; r < ROWS; r += CHUNK) {
      RawTensor s = backend.slice(scores, new int[] {r, 0, 0}, new int[] {CHUNK, 4, 32});
      RawTensor m = backend.slice(mask, new int[] {r, 0, 0}, new int[] {CHUNK, 1, 32});
      System.arraycopy(backend.binary(Op.ADD, s, m).toFloatArray(), 0, joined[0], r * 128, CHUNK * 128);
      System.arraycopy(backend.where(m, s, fill).toFloatArray(), 0, joined[1], r * 128, CHUNK * 128);
    }
    assertThat(whole[0].toFloatArray()).as("broadcast add: one call vs chunks").isEqualTo(joined[0]);
    assertThat(whole[1].toFloatArray()).as("masked where: one call vs chunks").isEqualTo(joined[1]);
  }

  @Test
  void permutesCopyEveryElementToItsPlace() {
    int heads = 4;
    int depth = 32;
    RawTensor x = backend.reshape(random(ROWS, heads * depth, 1), Shape.of(ROWS, heads, depth)); // [batch*time, heads, depth]
    float[] xs = x.toFloatArray();
    float[] expected = new float[xs.length];
    for (int i = 0; i < ROWS; i++) {
      for (int h = 0; h < heads; h++) {
        for (int d = 0; d < depth; d++) {
          expected[(h * ROWS + i) * depth + d] = xs[(i * heads + h) * depth + d];
        }
      }
    }
    assertThat(backend.permute(x, new int[] {1, 0, 2}).toFloatArray()).as("[1024,4,32] -> [4,1024,32]").isEqualTo(expected);
    float[] transposed = new float[xs.length];
    int cols = heads * depth;
    for (int i = 0; i < ROWS; i++) {
      for (int j = 0; j < cols; j++) {
        transposed[j * ROWS + i] = xs[i * cols + j];
      }
    }
    assertThat(backend.permute(backend.reshape(x, Shape.of(ROWS, cols)), new int[] {1, 0}).toFloatArray())
        .as("[1024,128] -> [128,1024]").isEqualTo(transposed);
  }
}
