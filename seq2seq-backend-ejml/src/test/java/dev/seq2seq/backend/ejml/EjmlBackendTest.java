package dev.seq2seq.backend.ejml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seq2seq.api.backend.BackendProvider;
import dev.seq2seq.api.backend.Op;
import dev.seq2seq.api.backend.RawTensor;
import dev.seq2seq.api.backend.UnsupportedOpException;
import dev.seq2seq.api.tensor.Shape;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/** Registration, tensor read-back and the int32 support boundary. */
class EjmlBackendTest {
  private final EjmlBackend backend = new EjmlBackend();

  @Test
  void providerIsRegisteredWithPriority100() {
    BackendProvider provider = StreamSupport.stream(ServiceLoader.load(BackendProvider.class).spliterator(), false)
        .filter(p -> p.name().equals("ejml"))
        .collect(Collectors.toList())
        .get(0);

    assertThat(provider.priority()).isEqualTo(100);
    assertThat(provider.create().name()).isEqualTo("ejml");
    assertThat(provider.create().description()).startsWith("ejml: EJML 0.44.0");
  }

  @Test
  void tensorsCopyOnTheWayInAndOut() {
    float[] data = {1, 2, 3};
    RawTensor t = backend.fromFloats(data, Shape.of(3));
    data[0] = 99;
    t.toFloatArray()[1] = 99;

    assertThat(t.toFloatArray()).containsExactly(1, 2, 3);
    assertThat(t.toDoubleArray()).containsExactly(1, 2, 3);
  }

  @Test
  void toIntArrayNeedsInt32() {
    assertThatThrownBy(() -> backend.fromDoubles(new double[] {1}, Shape.of(1)).toIntArray())
        .isInstanceOf(IllegalStateException.class);
    assertThat(backend.fromInts(new int[] {7, -7}, Shape.of(2)).toFloatArray()).containsExactly(7, -7);
  }

  @Test
  void readBackAfterCloseFails() {
    RawTensor t = backend.fromInts(new int[] {1}, Shape.scalar());
    RawTensor view = backend.reshape(t, Shape.of(1, 1));
    t.close();
    t.close();

    assertThatThrownBy(t::toIntArray).isInstanceOf(IllegalStateException.class);
    assertThat(view.toIntArray()).containsExactly(1);
  }

  @Test
  void sizeMismatchIsRejected() {
    assertThatThrownBy(() -> backend.fromFloats(new float[5], Shape.of(2, 3))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void floatOnlyKernelsRejectInt32() {
    RawTensor i = backend.fromInts(new int[] {1, 2, 3, 4}, Shape.of(2, 2));

    assertThatThrownBy(() -> backend.matmul(i, i, false, false))
        .isInstanceOfSatisfying(UnsupportedOpException.class, e -> assertThat(e.op()).isEqualTo(Op.MATMUL));
    assertThatThrownBy(() -> backend.softmax(i, 1))
        .isInstanceOfSatisfying(UnsupportedOpException.class, e -> assertThat(e.op()).isEqualTo(Op.SOFTMAX));
    assertThatThrownBy(() -> backend.logSoftmax(i, 1))
        .isInstanceOfSatisfying(UnsupportedOpException.class, e -> assertThat(e.backend()).isEqualTo("ejml"));
  }
}
