package dev.seq2seq.backend.tensorflow;

import org.tensorflow.internal.c_api.TFE_TensorHandle;
import org.tensorflow.internal.c_api.TF_Operation;

/**
 * A value flowing between the ops of one kernel: an eager tensor handle when the kernel executes
 * eagerly, or an output ({@code operation:index}) of a graph under construction while a compiled
 * step is traced. Kernels treat it as opaque; only the {@link OpBuilder} of the same mode reads it.
 */
final class TfValue {
  /** The eager handle, or {@code null} in graph mode. */
  final TFE_TensorHandle handle;
  /** The graph operation producing the value, or {@code null} in eager mode. */
  final TF_Operation operation;
  /** The output index of {@link #operation}. */
  final int index;

  private TfValue(TFE_TensorHandle handle, TF_Operation operation, int index) {
    this.handle = handle;
    this.operation = operation;
    this.index = index;
  }

  static TfValue eager(TFE_TensorHandle handle) {
    return new TfValue(handle, null, 0);
  }

  static TfValue graph(TF_Operation operation, int index) {
    return new TfValue(null, operation, index);
  }

  boolean isEager() {
    return handle != null;
  }

  TFE_TensorHandle handle() {
    if (handle == null) {
      throw new IllegalStateException("tensorflow: a graph value was given to an eager op");
    }
    return handle;
  }

  TF_Operation operation() {
    if (operation == null) {
      throw new IllegalStateException("tensorflow: an eager value was given to a graph op");
    }
    return operation;
  }

  /** Identity of a graph output, for maps keyed by output. */
  String key() {
    return operation.address() + ":" + index;
  }
}
