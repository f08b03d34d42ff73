package dev.seq2seq.backend.ejml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seq2seq.api.backend.Op;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Shape;
import dev.seq2seq.api.tensor.Tensor;
import dev.seq2seq.api.tensor.TensorScope;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Recycling of closed tensors' arrays: reuse, views, zero-filling, capacity and the property. */
class ArrayPoolTest {
  private static final int N = 1024; // above ArrayPool.MIN_LENGTH
  private final EjmlBackend backend = new EjmlBackend();

  private EjmlTensor filled(float value, Shape shape) {
    float[] data = new float[shape.size()];
    Arrays.fill(data, value);
    return (EjmlTensor) backend.fromFloats(data, shape);
  }

  @Test
  void aClosedTensorsArrayServesTheNextKernelOfItsSize() {
    EjmlTensor x = filled(2f, Shape.of(N));
    EjmlTensor y = (EjmlTensor) backend.unary(Op.NEG, x);
    Object array = y.data();
    y.close();

    EjmlTensor z = (EjmlTensor) backend.unary(Op.EXP, x);

    assertThat(z.data()).isSameAs(array);
    assertThat(z.toFloatArray()).containsOnly((float) Math.exp(2));
  }

  @Test
  void closingTwiceRecyclesOnce() {
    EjmlTensor x = filled(1f, Shape.of(N));
    EjmlTensor y = (EjmlTensor) backend.unary(Op.NEG, x);
    y.close();
    y.close();

    EjmlTensor a = (EjmlTensor) backend.unary(Op.NEG, x);
    EjmlTensor b = (EjmlTensor) backend.unary(Op.EXP, x);

    assertThat(a.data()).isNotSameAs(b.data());
    assertThat(a.toFloatArray()).containsOnly(-1f);
  }

  @Test
  void aViewKeepsTheArrayUntilItIsClosedToo() {
    EjmlTensor x = filled(3f, Shape.of(4, N / 4));
    EjmlTensor y = (EjmlTensor) backend.unary(Op.NEG, x);
    EjmlTensor view = (EjmlTensor) backend.reshape(y, Shape.of(N));
    y.close();

    EjmlTensor other = (EjmlTensor) backend.unary(Op.EXP, view);
    assertThat(other.data()).isNotSameAs(view.data());
    assertThat(view.toFloatArray()).containsOnly(-3f);

    Object array = view.data();
    view.close();
    EjmlTensor next = (EjmlTensor) backend.unary(Op.NEG, other);
    assertThat(next.data()).isSameAs(array);
  }

  @Test
  void recycledArraysAreZeroedWhereAKernelReliesOnZeros() {
    EjmlTensor x = filled(5f, Shape.of(N - 2));
    EjmlTensor dirty = filled(7f, Shape.of(N)); // the size of x padded by one on each side
    Object array = dirty.data();
    dirty.close();

    EjmlTensor padded = (EjmlTensor) backend.pad(x, new int[] {1}, new int[] {1});

    assertThat(padded.data()).isSameAs(array);
    float[] values = padded.toFloatArray();
    assertThat(values[0]).as("padding").isZero();
    assertThat(values[N - 1]).as("padding").isZero();
    assertThat(Arrays.copyOfRange(values, 1, N - 1)).containsOnly(5f);
  }

  @Test
  void aClosedTensorStillRefusesToBeRead() {
    EjmlTensor y = (EjmlTensor) backend.unary(Op.NEG, filled(1f, Shape.of(N)));
    y.close();
    assertThatThrownBy(y::toFloatArray).isInstanceOf(IllegalStateException.class).hasMessageContaining("used after close()");
  }

  @Test
  void aScopeHandsItsTensorsArraysBackForTheNextStep() {
    Tensor input = Tensor.wrap(backend, filled(1f, Shape.of(N)));
    Object[] stepOne = new Object[2];
    try (TensorScope scope = TensorScope.open()) {
      Tensor square = input.mul(input);
      Tensor sum = square.add(input);
      stepOne[0] = ((EjmlTensor) square.raw()).data();
      stepOne[1] = ((EjmlTensor) sum.raw()).data();
    }
    try (TensorScope scope = TensorScope.open()) {
      Tensor t = input.mul(input);
      assertThat(((EjmlTensor) t.raw()).data()).isIn(stepOne);
      assertThat(t.toFloatArray()).containsOnly(1f);
    }
  }

  @Test
  void smallArraysAreNotPooled() {
    ArrayPool pool = new ArrayPool(1 << 20);
    pool.give(new float[ArrayPool.MIN_LENGTH - 1]);
    assertThat(pool.pooledBytes()).isZero();
    float[] big = new float[ArrayPool.MIN_LENGTH];
    pool.give(big);
    assertThat(pool.pooledBytes()).isEqualTo(4L * ArrayPool.MIN_LENGTH);
    assertThat(pool.unfilled(DType.FLOAT32, ArrayPool.MIN_LENGTH)).isSameAs(big);
    assertThat(pool.pooledBytes()).isZero();
  }

  @Test
  void aFullPoolEmptiesBeforeTakingMore() {
    ArrayPool pool = new ArrayPool(3 * 4 * N); // room for three float[N]
    float[] first = new float[N];
    pool.give(first);
    pool.give(new float[N]);
    pool.give(new float[N]);
    assertThat(pool.pooledBytes()).isEqualTo(3L * 4 * N);

    double[] fourth = new double[N];
    pool.give(fourth);

    assertThat(pool.pooledBytes()).as("the floats were dropped").isEqualTo(8L * N);
    assertThat(pool.unfilled(DType.FLOAT32, N)).isNotSameAs(first);
    assertThat(pool.unfilled(DType.FLOAT64, N)).isSameAs(fourth);
  }

  @Test
  void matchesTypeAndExactLength() {
    ArrayPool pool = new ArrayPool(1 << 20);
    pool.give(new int[N]);
    assertThat(pool.unfilled(DType.FLOAT32, N)).isInstanceOf(float[].class);
    assertThat(((float[]) pool.unfilled(DType.FLOAT32, N + 1)).length).isEqualTo(N + 1);
    assertThat(pool.pooledBytes()).isEqualTo(4L * N);
    assertThat(pool.zeroed(DType.INT32, N)).isInstanceOf(int[].class);
    assertThat(pool.pooledBytes()).isZero();
  }

  @Test
  void capacityComesFromThePropertyInMegabytes() {
    assertThat(ArrayPool.capacity(null, 8L << 30)).isEqualTo(2L << 30);
    assertThat(ArrayPool.capacity("512", 8L << 30)).isEqualTo(512L << 20);
    assertThat(ArrayPool.capacity("0", 8L << 30)).isZero();
    assertThatThrownBy(() -> ArrayPool.capacity("lots", 1L << 30))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(ArrayPool.PROPERTY + "=lots")
        .hasMessageContaining("megabytes");
    assertThatThrownBy(() -> ArrayPool.capacity("-1", 1L << 30)).hasMessageContaining("0 or more");
  }

  @Test
  void aZeroCapacityPoolKeepsNothing() {
    ArrayPool pool = new ArrayPool(0);
    pool.give(new float[N]);
    assertThat(pool.pooledBytes()).isZero();
    assertThat(pool.unfilled(DType.FLOAT32, N)).isInstanceOf(float[].class);
  }
}
