package dev.seq2seq.backend.tensorflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seq2seq.api.backend.Op;
import dev.seq2seq.api.backend.RawTensor;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Shape;
import org.junit.jupiter.api.Test;

/** Copies in and out, dtypes of read-back, and use after close. */
class TensorLifecycleTest extends TfTestSupport {
  @Test
  void dataIsCopiedOnTheWayInAndOut() {
    float[] data = {1, 2, 3, 4};
    RawTensor x = track(backend().fromFloats(data, Shape.of(2, 2)));
    data[0] = 99;
    x.toFloatArray()[1] = 99;
    assertThat(x.toFloatArray()).containsExactly(1, 2, 3, 4);
    assertThat(x.toDoubleArray()).containsExactly(1, 2, 3, 4);
    assertThat(x.shape()).isEqualTo(Shape.of(2, 2));
    assertThat(x.dtype()).isEqualTo(DType.FLOAT32);
  }

  @Test
  void readBackConvertsBetweenTypes() {
    RawTensor d = track(backend().fromDoubles(new double[] {0.1, -2.5}, Shape.of(2)));
    assertThat(d.toDoubleArray()).containsExactly(0.1, -2.5);
    assertThat(d.toFloatArray()).containsExactly(0.1f, -2.5f);
    RawTensor i = track(backend().fromInts(new int[] {7, -8}, Shape.of(2)));
    assertThat(i.toIntArray()).containsExactly(7, -8);
    assertThat(i.toFloatArray()).containsExactly(7f, -8f);
    assertThat(i.toDoubleArray()).containsExactly(7.0, -8.0);
    assertThatThrownBy(d::toIntArray).isInstanceOf(IllegalStateException.class).hasMessageContaining("int32");
  }

  @Test
  void scalarsAndEmptyTensors() {
    RawTensor s = track(backend().fromDoubles(new double[] {3.5}, Shape.scalar()));
    assertThat(s.shape().rank()).isZero();
    assertThat(track(backend().unary(Op.NEG, s)).toDoubleArray()).containsExactly(-3.5);
    RawTensor empty = track(backend().fromFloats(new float[0], Shape.of(0, 3)));
    assertThat(track(backend().unary(Op.EXP, empty)).toFloatArray()).isEmpty();
    assertThat(track(backend().reduce(Op.SUM, empty, new int[] {0}, false)).toFloatArray()).containsExactly(0, 0, 0);
  }

  @Test
  void wrongLengthIsRejected() {
    assertThatThrownBy(() -> backend().fromFloats(new float[5], Shape.of(2, 3)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("5 values").hasMessageContaining("[2, 3]");
  }

  @Test
  void useAfterCloseThrowsInsteadOfReadingFreedMemory() {
    RawTensor x = backend().fromFloats(new float[] {1, 2}, Shape.of(2));
    x.close();
    x.close(); // idempotent
    assertThat(((TensorFlowTensor) x).isClosed()).isTrue();
    assertThatThrownBy(x::toFloatArray).isInstanceOf(IllegalStateException.class).hasMessageContaining("after close");
    assertThatThrownBy(x::toDoubleArray).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> backend().unary(Op.EXP, x)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("after close");
    RawTensor ids = backend().fromInts(new int[] {0}, Shape.of(1));
    ids.close();
    assertThatThrownBy(ids::toIntArray).isInstanceOf(IllegalStateException.class);
    // shape and dtype stay readable: they are Java metadata
    assertThat(x.shape()).isEqualTo(Shape.of(2));
  }

  @Test
  void closingAnInputDoesNotAffectEarlierResults() {
    RawTensor x = backend().fromDoubles(new double[] {1, 4, 9}, Shape.of(3));
    RawTensor y = track(backend().unary(Op.SQRT, x));
    RawTensor p = track(backend().permute(x, new int[] {0}));
    x.close();
    assertThat(y.toDoubleArray()).containsExactly(1, 2, 3);
    assertThat(p.toDoubleArray()).containsExactly(1, 4, 9);
  }
}
