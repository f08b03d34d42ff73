package dev.seq2seq.backend.tensorflow;

import dev.seq2seq.api.backend.RawTensor;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.Pointer;
import org.tensorflow.internal.c_api.TFE_TensorHandle;

/**
 * The native objects one kernel call creates: its ops, constants and intermediate results.
 *
 * <p>Everything registered here is deleted by {@link #close()}, except the handles handed out as
 * results with {@link #keep}. Kernels run inside {@code try (KernelScope s = runtime.scope())}, so
 * no intermediate is left to the garbage collector, on success or failure.
 */
final class KernelScope implements AutoCloseable {
  private final EagerRuntime runtime;
  private final List<Pointer> owned = new ArrayList<>();

  KernelScope(EagerRuntime runtime) {
    this.runtime = runtime;
  }

  /** Starts building an op of the given TensorFlow type on the backend's device. */
  EagerOp op(String type) {
    return runtime.newOp(this, type);
  }

  /** The live handle of an input tensor (which stays owned by the caller). */
  TFE_TensorHandle in(RawTensor tensor) {
    return TensorFlowTensor.cast(tensor).handle();
  }

  /** A host int32 tensor with the given values and dimensions, freed with this scope. */
  TFE_TensorHandle ints(int[] values, long... dims) {
    return own(runtime.hostInts(values, dims));
  }

  /** A rank-1 int32 tensor. */
  TFE_TensorHandle vector(int... values) {
    return ints(values, values.length);
  }

  /** A rank-0 int32 tensor. */
  TFE_TensorHandle scalar(int value) {
    return ints(new int[] {value});
  }

  /** Registers a native object to be deleted when this scope closes. */
  <P extends Pointer> P own(P pointer) {
    owned.add(pointer);
    return pointer;
  }

  /** Hands {@code handle} out as a kernel result: the returned tensor owns it from now on. */
  TensorFlowTensor keep(TFE_TensorHandle handle) {
    TensorFlowTensor result = TensorFlowTensor.wrap(handle);
    owned.remove(handle);
    return result;
  }

  @Override
  public void close() {
    for (int i = owned.size() - 1; i >= 0; i--) {
      Pointer p = owned.get(i);
      if (!p.isNull()) {
        p.deallocate();
      }
    }
    owned.clear();
  }
}
