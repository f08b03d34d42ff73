package dev.seq2seq.backend.tensorflow;

import dev.seq2seq.api.backend.RawTensor;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.Pointer;
import org.tensorflow.internal.c_api.TFE_TensorHandle;

/**
 * The native objects one eager kernel call creates: its ops, constants and intermediate results.
 *
 * <p>Everything registered here is deleted by {@link #close()}, except the handles handed out as
 * results with {@link #keep}, so no intermediate is left to the garbage collector, on success or
 * failure.
 */
final class EagerKernelScope extends KernelScope {
  private final EagerRuntime runtime;
  private final List<Pointer> owned = new ArrayList<>();

  EagerKernelScope(EagerRuntime runtime) {
    this.runtime = runtime;
  }

  @Override
  EagerOp op(String type) {
    return runtime.newOp(this, type);
  }

  @Override
  TfValue in(RawTensor tensor) {
    if (tensor instanceof GraphTensor) {
      throw ((GraphTensor) tensor).usedOutsideTrace();
    }
    return TfValue.eager(TensorFlowTensor.cast(tensor).handle());
  }

  @Override
  TfValue ints(int[] values, long... dims) {
    return TfValue.eager(own(runtime.hostInts(values, dims)));
  }

  @Override
  boolean tracing() {
    return false;
  }

  /** Registers a native object to be deleted when this scope closes. */
  <P extends Pointer> P own(P pointer) {
    owned.add(pointer);
    return pointer;
  }

  @Override
  TensorFlowTensor keep(TfValue value) {
    TFE_TensorHandle handle = value.handle();
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
