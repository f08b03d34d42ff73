package dev.seq2seq.api.backend;

import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Shape;

/**
 * A backend's dense tensor data, without autodiff: what {@link Backend} kernels consume and produce.
 *
 * <p>Model code never sees this type; it works with {@link dev.seq2seq.api.tensor.Tensor}. A raw
 * tensor is never modified after it is created. Read-back methods return a fresh row-major copy;
 * they throw {@link IllegalStateException} after {@link #close()}.
 */
public interface RawTensor extends AutoCloseable {
  /** The dimensions. */
  Shape shape();

  /** The element type. */
  DType dtype();

  /** Row-major copy of the elements converted to float. */
  float[] toFloatArray();

  /** Row-major copy of the elements converted to double. */
  double[] toDoubleArray();

  /**
   * Row-major copy of the elements as int.
   *
   * @throws IllegalStateException if the dtype is not {@link DType#INT32}
   */
  int[] toIntArray();

  /**
   * Releases native memory, if any; idempotent. Heap-backed tensors may ignore it.
   */
  @Override
  default void close() {}
}
