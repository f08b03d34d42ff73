package dev.seq2seq.backend.ejml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seq2seq.api.backend.Op;
import dev.seq2seq.api.backend.RawTensor;
import dev.seq2seq.api.backend.UnsupportedOpException;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Shape;
import dev.seq2seq.backend.ejml.floatmath.FloatMath;
import dev.seq2seq.backend.ejml.floatmath.FloatMaths;
import dev.seq2seq.backend.ejml.gemm.FloatGemms;
import org.junit.jupiter.api.Test;

/** Broadcasting binary ops, where, cast and the strided loop they share. */
class ElementwiseTest {
  private final EjmlBackend backend = new EjmlBackend();

  @Test
  void subtractBroadcastsOddShapes() {
    // a[2,1,3] - b[4,1] -> [2,4,3]: out[i][j][k] = a[i][0][k] - b[j][0]
    double[] a = {1, 2, 3, 10, 20, 30};
    double[] b = {0.5, 1.5, 2.5, 3.5};
    RawTensor out = backend.binary(Op.SUB, backend.fromDoubles(a, Shape.of(2, 1, 3)), backend.fromDoubles(b, Shape.of(4, 1)));

    double[] expected = new double[24];
    for (int i = 0; i < 2; i++) {
      for (int j = 0; j < 4; j++) {
        for (int k = 0; k < 3; k++) {
          expected[(i * 4 + j) * 3 + k] = a[i * 3 + k] - b[j];
        }
      }
    }
    assertThat(out.shape()).isEqualTo(Shape.of(2, 4, 3));
    assertThat(out.toDoubleArray()).containsExactly(expected);
  }

  @Test
  void broadcastWorksWithTheSmallOperandFirstAndInt32() {
    // b[4,1] * a[2,1,3] on int32
    int[] a = {1, 2, 3, -1, -2, -3};
    int[] b = {0, 1, 2, 7};
    RawTensor out = backend.binary(Op.MUL, backend.fromInts(b, Shape.of(4, 1)), backend.fromInts(a, Shape.of(2, 1, 3)));

    int[] expected = new int[24];
    for (int i = 0; i < 2; i++) {
      for (int j = 0; j < 4; j++) {
        for (int k = 0; k < 3; k++) {
          expected[(i * 4 + j) * 3 + k] = b[j] * a[i * 3 + k];
        }
      }
    }
    assertThat(out.dtype()).isEqualTo(DType.INT32);
    assertThat(out.toIntArray()).containsExactly(expected);
  }

  @Test
  void scalarOperandAndComparisonsGiveOneOrZeroInTheInputDtype() {
    RawTensor x = backend.fromFloats(new float[] {-1, 0, 2, 3.5f, 0, -7}, Shape.of(2, 3));
    RawTensor zero = backend.fromFloats(new float[] {0}, Shape.scalar());

    RawTensor greater = backend.binary(Op.GREATER, x, zero);
    RawTensor equal = backend.binary(Op.EQUAL, zero, x);
    RawTensor plus = backend.binary(Op.ADD, x, backend.fromFloats(new float[] {0.25f}, Shape.scalar()));

    assertThat(greater.dtype()).isEqualTo(DType.FLOAT32);
    assertThat(greater.toFloatArray()).containsExactly(0, 0, 1, 1, 0, 0);
    assertThat(equal.shape()).isEqualTo(Shape.of(2, 3));
    assertThat(equal.toFloatArray()).containsExactly(0, 1, 0, 0, 1, 0);
    assertThat(plus.toFloatArray()).containsExactly(-0.75f, 0.25f, 2.25f, 3.75f, 0.25f, -6.75f);
  }

  @Test
  void int32MaximumAndLessUseIntSemantics() {
    RawTensor a = backend.fromInts(new int[] {Integer.MAX_VALUE, -5, 3}, Shape.of(3));
    RawTensor b = backend.fromInts(new int[] {1, -6, 3}, Shape.of(3));

    assertThat(backend.binary(Op.ADD, a, b).toIntArray()).containsExactly(Integer.MIN_VALUE, -11, 6);
    assertThat(backend.binary(Op.MAXIMUM, a, b).toIntArray()).containsExactly(Integer.MAX_VALUE, -5, 3);
    assertThat(backend.binary(Op.LESS, b, a).toIntArray()).containsExactly(1, 1, 0);
  }

  @Test
  void whereBroadcastsAllThreeOperands() {
    // cond[2,1] (int32), a[1,3], b scalar -> [2,3]
    RawTensor cond = backend.fromInts(new int[] {0, 5}, Shape.of(2, 1));
    RawTensor a = backend.fromDoubles(new double[] {1, 2, 3}, Shape.of(1, 3));
    RawTensor b = backend.fromDoubles(new double[] {-9}, Shape.scalar());

    RawTensor out = backend.where(cond, a, b);

    assertThat(out.shape()).isEqualTo(Shape.of(2, 3));
    assertThat(out.toDoubleArray()).containsExactly(-9, -9, -9, 1, 2, 3);
  }

  @Test
  void float32WhereBroadcastsAndTakesNanAsTrue() {
    // the float32 path (masks): cond[2,1,1], a[1,2,3], b[3] -> [2,2,3]
    RawTensor cond = backend.fromFloats(new float[] {0f, Float.NaN}, Shape.of(2, 1, 1));
    RawTensor a = backend.fromFloats(new float[] {1, 2, 3, 4, 5, 6}, Shape.of(1, 2, 3));
    RawTensor b = backend.fromFloats(new float[] {-7, -8, -9}, Shape.of(3));

    RawTensor out = backend.where(cond, a, b);

    assertThat(out.shape()).isEqualTo(Shape.of(2, 2, 3));
    assertThat(out.toFloatArray()).containsExactly(-7, -8, -9, -7, -8, -9, 1, 2, 3, 4, 5, 6);
  }

  /**
   * With the scalar float math, unary ops compute in double and round once; the default float math
   * (vector when available) stays within {@link FloatMath#MAX_ULPS} of that.
   */
  @Test
  void unaryOpsComputeInDoubleAndRoundOnce() {
    float[] x = {-2, 0, 0.5f, 3};
    EjmlBackend scalar = new EjmlBackend(FloatGemms.select(), FloatMaths.scalar());
    float[] out = scalar.unary(Op.SIGMOID, scalar.fromFloats(x, Shape.of(4))).toFloatArray();
    float[] fast = backend.unary(Op.SIGMOID, backend.fromFloats(x, Shape.of(4))).toFloatArray();
    for (int i = 0; i < x.length; i++) {
      float expected = (float) (1 / (1 + Math.exp(-(double) x[i])));
      assertThat(out[i]).isEqualTo(expected);
      assertThat((double) Math.abs(fast[i] - expected)).as("default float math, sigmoid(%s), within %d ulps", x[i], FloatMath.MAX_ULPS)
          .isLessThanOrEqualTo(FloatMath.MAX_ULPS * (double) Math.ulp(expected));
    }
    assertThat(backend.unary(Op.RELU, backend.fromFloats(x, Shape.of(4))).toFloatArray()).containsExactly(0, 0, 0.5f, 3);
  }

  @Test
  void castTruncatesTowardZeroAndRounds() {
    RawTensor x = backend.fromDoubles(new double[] {-1.7, 1.7, -0.5, 2.999, 0.1}, Shape.of(5));

    assertThat(backend.cast(x, DType.INT32).toIntArray()).containsExactly(-1, 1, 0, 2, 0);
    assertThat(backend.cast(x, DType.FLOAT32).toFloatArray()).containsExactly(-1.7f, 1.7f, -0.5f, 2.999f, 0.1f);
    assertThat(backend.cast(backend.fromInts(new int[] {16777217, -3}, Shape.of(2)), DType.FLOAT32).toFloatArray())
        .containsExactly(16777216f, -3f);
  }

  @Test
  void int32KernelsWithoutMeaningThrowUnsupported() {
    RawTensor i = backend.fromInts(new int[] {1, 2}, Shape.of(2));

    assertThatThrownBy(() -> backend.binary(Op.DIV, i, i))
        .isInstanceOf(UnsupportedOpException.class)
        .hasMessageContaining("div")
        .hasMessageContaining("int32");
    assertThatThrownBy(() -> backend.unary(Op.EXP, i))
        .isInstanceOfSatisfying(UnsupportedOpException.class, e -> assertThat(e.op()).isEqualTo(Op.EXP));
  }

  @Test
  void equalShapesAndScalarsCollapseToOneRow() {
    Shape s = Shape.of(3, 4, 5);
    assertThat(StridedLoop.broadcast(s, s, s).rows()).isEqualTo(1);
    assertThat(StridedLoop.broadcast(s, s, Shape.scalar()).rows()).isEqualTo(1);
    assertThat(StridedLoop.broadcast(Shape.of(3, 1, 5), Shape.of(3, 1, 5), Shape.of(1, 5)).rows()).isEqualTo(3);
    // [2,1,3] (+) [4,1] -> [2,4,3] cannot merge: one row per (i, j)
    assertThat(StridedLoop.broadcast(Shape.of(2, 4, 3), Shape.of(2, 1, 3), Shape.of(4, 1)).rows()).isEqualTo(8);
  }
}
