package dev.seq2seq.backend.tensorflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seq2seq.api.backend.Backends;
import dev.seq2seq.api.backend.RawTensor;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Shape;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterEach;

/**
 * Fixtures for the backend's own tests: one process-wide CPU backend, tensor builders that close
 * everything a test created, and value assertions. Expected values in the tests are written by
 * hand or computed with naive loops, never with the backend.
 */
abstract class TfTestSupport {
  static final DType[] FLOATS = {DType.FLOAT32, DType.FLOAT64};

  private final List<RawTensor> created = new ArrayList<>();

  /** The backend every test uses, created once per JVM through the provider. */
  static TensorFlowBackend backend() {
    return (TensorFlowBackend) Backends.get(TensorFlowBackend.NAME);
  }

  @AfterEach
  void closeTensors() {
    created.forEach(RawTensor::close);
    created.clear();
  }

  /** Registers a kernel result for closing after the test. */
  <T extends RawTensor> T track(T t) {
    created.add(t);
    return t;
  }

  RawTensor[] track(RawTensor[] ts) {
    for (RawTensor t : ts) {
      track(t);
    }
    return ts;
  }

  /** A tensor of a floating dtype (or int32, truncating) from double values. */
  RawTensor t(DType dtype, double[] values, int... dims) {
    Shape shape = Shape.of(dims);
    switch (dtype) {
      case FLOAT32: {
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) {
          f[i] = (float) values[i];
        }
        return track(backend().fromFloats(f, shape));
      }
      case FLOAT64:
        return track(backend().fromDoubles(values, shape));
      default: {
        int[] v = new int[values.length];
        for (int i = 0; i < v.length; i++) {
          v[i] = (int) values[i];
        }
        return track(backend().fromInts(v, shape));
      }
    }
  }

  RawTensor ints(int[] values, int... dims) {
    return track(backend().fromInts(values, Shape.of(dims)));
  }

  static double[] range(int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = i;
    }
    return v;
  }

  /** Asserts dtype, shape and values (float32: rel/abs 1e-6 after float rounding; float64: 1e-12). */
  static void assertValues(RawTensor actual, DType dtype, double[] expected, int... dims) {
    assertThat(actual.dtype()).as("dtype").isEqualTo(dtype);
    assertThat(actual.shape()).as("shape").isEqualTo(Shape.of(dims));
    double[] got = actual.toDoubleArray();
    assertThat(got).hasSameSizeAs(expected);
    for (int i = 0; i < expected.length; i++) {
      double e = dtype == DType.FLOAT32 ? (float) expected[i] : expected[i];
      double tol = dtype == DType.FLOAT64 ? 1e-12 : dtype == DType.FLOAT32 ? 1e-6 : 0;
      assertThat(got[i]).as("%s element %d of %s", dtype.label(), i, java.util.Arrays.toString(got))
          .isCloseTo(e, Offset.offset(tol * Math.max(1, Math.abs(e))));
    }
  }
}
