package dev.seq2seq.backend.tensorflow;

import static org.tensorflow.internal.c_api.global.tensorflow.TFE_Execute;
import static org.tensorflow.internal.c_api.global.tensorflow.TFE_OpAddInput;
import static org.tensorflow.internal.c_api.global.tensorflow.TFE_OpAddInputList;
import static org.tensorflow.internal.c_api.global.tensorflow.TFE_OpSetAttrBool;
import static org.tensorflow.internal.c_api.global.tensorflow.TFE_OpSetAttrInt;
import static org.tensorflow.internal.c_api.global.tensorflow.TFE_OpSetAttrType;
import static org.tensorflow.internal.c_api.global.tensorflow.TFE_OpSetDevice;

import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;
import org.tensorflow.internal.c_api.TFE_Context;
import org.tensorflow.internal.c_api.TFE_Op;
import org.tensorflow.internal.c_api.TFE_TensorHandle;
import org.tensorflow.internal.c_api.TF_Status;

/**
 * One TensorFlow op, built and executed eagerly through the C API ({@code TFE_Execute}).
 *
 * <p>The native {@code TFE_Op} is deleted as soon as the op has run (or by its {@link EagerKernelScope}
 * if building fails); the output handles are registered with the scope, which frees every one that
 * is not kept as a kernel result.
 */
final class EagerOp implements OpBuilder {
  private static final int MAX_OUTPUTS = 8;
  private static final ThreadLocal<PointerPointer<TFE_TensorHandle>> RETVALS =
      ThreadLocal.withInitial(() -> new PointerPointer<>(MAX_OUTPUTS));
  private static final ThreadLocal<IntPointer> NUM_RETVALS = ThreadLocal.withInitial(() -> new IntPointer(1));

  private final EagerKernelScope scope;
  private final String type;
  private final TFE_Op op;

  EagerOp(EagerKernelScope scope, TFE_Context context, String device, String type) {
    this.scope = scope;
    this.type = type;
    TF_Status status = TfStatus.fresh();
    TFE_Op created = TFE_Op.newOp(context, type, status);
    status.throwExceptionIfNotOK();
    this.op = created;
    scope.own(created);
    TFE_OpSetDevice(op, device, status);
    status.throwExceptionIfNotOK();
  }

  @Override
  public EagerOp input(TfValue value) {
    TF_Status status = TfStatus.fresh();
    TFE_OpAddInput(op, value.handle(), status);
    status.throwExceptionIfNotOK();
    return this;
  }

  @Override
  public EagerOp inputList(TfValue[] handles) {
    PointerPointer<TFE_TensorHandle> list = new PointerPointer<>(handles.length);
    try {
      for (int i = 0; i < handles.length; i++) {
        list.put(i, handles[i].handle());
      }
      TF_Status status = TfStatus.fresh();
      TFE_OpAddInputList(op, list, handles.length, status);
      status.throwExceptionIfNotOK();
    } finally {
      list.deallocate();
    }
    return this;
  }

  @Override
  public EagerOp type(String attr, int tfType) {
    TFE_OpSetAttrType(op, attr, tfType);
    return this;
  }

  @Override
  public EagerOp integer(String attr, long value) {
    TFE_OpSetAttrInt(op, attr, value);
    return this;
  }

  @Override
  public EagerOp flag(String attr, boolean value) {
    TFE_OpSetAttrBool(op, attr, (byte) (value ? 1 : 0));
    return this;
  }

  /** Executes the op and returns its {@code count} outputs (owned by the scope). */
  @Override
  public TfValue[] run(int count) {
    PointerPointer<TFE_TensorHandle> retvals = RETVALS.get();
    IntPointer numRetvals = NUM_RETVALS.get();
    numRetvals.put(MAX_OUTPUTS);
    TF_Status status = TfStatus.fresh();
    try {
      TFE_Execute(op, retvals, numRetvals, status);
      status.throwExceptionIfNotOK();
    } finally {
      op.deallocate();
    }
    int produced = numRetvals.get();
    TfValue[] outputs = new TfValue[produced];
    for (int i = 0; i < produced; i++) {
      TFE_TensorHandle h = retvals.get(TFE_TensorHandle.class, i).withDeallocator();
      scope.own(h);
      outputs[i] = TfValue.eager(h);
    }
    if (produced != count) {
      throw new IllegalStateException(String.format("%s produced %d outputs, expected %d", type, produced, count));
    }
    return outputs;
  }
}
