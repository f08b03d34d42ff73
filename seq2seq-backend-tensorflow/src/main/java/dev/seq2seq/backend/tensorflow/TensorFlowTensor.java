package dev.seq2seq.backend.tensorflow;

import static org.tensorflow.internal.c_api.global.tensorflow.TFE_TensorHandleDataType;
import static org.tensorflow.internal.c_api.global.tensorflow.TFE_TensorHandleDim;
import static org.tensorflow.internal.c_api.global.tensorflow.TFE_TensorHandleNumDims;
import static org.tensorflow.internal.c_api.global.tensorflow.TFE_TensorHandleResolve;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_TensorData;

import dev.seq2seq.api.backend.RawTensor;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Shape;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Pointer;
import org.tensorflow.internal.c_api.TFE_TensorHandle;
import org.tensorflow.internal.c_api.TF_Status;
import org.tensorflow.internal.c_api.TF_Tensor;

/**
 * A TensorFlow tensor: owns exactly one eager tensor handle ({@code TFE_TensorHandle}), whose
 * buffer lives on the backend's device.
 *
 * <p>{@link #close()} deletes the handle at once, which releases the buffer unless another handle
 * shares it (e.g. the input of a {@code reshape}; TensorFlow reference-counts buffers). After
 * close every read and every use as a kernel input throws {@link IllegalStateException}: the native
 * library would otherwise return garbage silently. A tensor that is never closed is freed when it
 * is garbage-collected, as a safety net only. Close a tensor only when no other thread uses it.
 */
public final class TensorFlowTensor implements RawTensor {
  private final Shape shape;
  private final DType dtype;
  private TFE_TensorHandle handle;

  private TensorFlowTensor(TFE_TensorHandle handle, Shape shape, DType dtype) {
    this.handle = handle;
    this.shape = shape;
    this.dtype = dtype;
  }

  /** Wraps a handle (with a deallocator) whose ownership passes to the new tensor. */
  static TensorFlowTensor wrap(TFE_TensorHandle handle) {
    TF_Status status = TfStatus.fresh();
    int rank = TFE_TensorHandleNumDims(handle, status);
    status.throwExceptionIfNotOK();
    int[] dims = new int[rank];
    for (int i = 0; i < rank; i++) {
      dims[i] = Math.toIntExact(TFE_TensorHandleDim(handle, i, status));
      status.throwExceptionIfNotOK();
    }
    DType dtype = TfTypes.toDType(TFE_TensorHandleDataType(handle));
    return new TensorFlowTensor(handle, Shape.of(dims), dtype);
  }

  /** Wraps a handle of known shape and dtype; ownership passes to the new tensor. */
  static TensorFlowTensor wrap(TFE_TensorHandle handle, Shape shape, DType dtype) {
    return new TensorFlowTensor(handle, shape, dtype);
  }

  /** The argument as a tensor of this backend. */
  static TensorFlowTensor cast(RawTensor tensor) {
    if (tensor instanceof TensorFlowTensor) {
      return (TensorFlowTensor) tensor;
    }
    throw new IllegalArgumentException(String.format(
        "tensorflow: got a %s tensor of another backend (%s); tensors cannot mix backends",
        tensor.dtype().label(), tensor.getClass().getName()));
  }

  /** The live native handle, for use as a kernel input. */
  synchronized TFE_TensorHandle handle() {
    if (handle == null) {
      throw new IllegalStateException(String.format(
          "tensorflow: %s tensor %s used after close()", dtype.label(), shape));
    }
    return handle;
  }

  /** Whether {@link #close()} has been called. */
  public synchronized boolean isClosed() {
    return handle == null;
  }

  @Override
  public Shape shape() {
    return shape;
  }

  @Override
  public DType dtype() {
    return dtype;
  }

  @Override
  public synchronized float[] toFloatArray() {
    int n = shape.size();
    float[] out = new float[n];
    switch (dtype) {
      case FLOAT32:
        read((p, m) -> new FloatPointer(p).capacity(m).get(out));
        break;
      case FLOAT64: {
        double[] d = toDoubleArray();
        for (int i = 0; i < n; i++) {
          out[i] = (float) d[i];
        }
        break;
      }
      default: {
        int[] v = readInts();
        for (int i = 0; i < n; i++) {
          out[i] = v[i];
        }
      }
    }
    return out;
  }

  @Override
  public synchronized double[] toDoubleArray() {
    int n = shape.size();
    double[] out = new double[n];
    switch (dtype) {
      case FLOAT64:
        read((p, m) -> new DoublePointer(p).capacity(m).get(out));
        break;
      case FLOAT32: {
        float[] f = new float[n];
        read((p, m) -> new FloatPointer(p).capacity(m).get(f));
        for (int i = 0; i < n; i++) {
          out[i] = f[i];
        }
        break;
      }
      default: {
        int[] v = readInts();
        for (int i = 0; i < n; i++) {
          out[i] = v[i];
        }
      }
    }
    return out;
  }

  @Override
  public synchronized int[] toIntArray() {
    if (dtype != DType.INT32) {
      throw new IllegalStateException(String.format(
          "tensorflow: toIntArray() needs an int32 tensor, this one is %s %s", dtype.label(), shape));
    }
    return readInts();
  }

  private int[] readInts() {
    int[] out = new int[shape.size()];
    read((p, m) -> new IntPointer(p).capacity(m).get(out));
    return out;
  }

  /** Resolves the handle to a host tensor (a copy only for device memory) and lets {@code copy} read it. */
  private void read(HostCopy copy) {
    TFE_TensorHandle live = handle();
    int n = shape.size();
    if (n == 0) {
      return;
    }
    TF_Status status = TfStatus.fresh();
    TF_Tensor host = TFE_TensorHandleResolve(live, status);
    status.throwExceptionIfNotOK();
    host.withDeallocator();
    try {
      copy.from(TF_TensorData(host), n);
    } finally {
      host.deallocate();
    }
  }

  @Override
  public synchronized void close() {
    if (handle != null) {
      handle.deallocate();
      handle = null;
    }
  }

  @Override
  public String toString() {
    return String.format("TensorFlowTensor[%s %s%s]", dtype.label(), shape, isClosed() ? ", closed" : "");
  }

  @FunctionalInterface
  private interface HostCopy {
    void from(Pointer data, int count);
  }
}
