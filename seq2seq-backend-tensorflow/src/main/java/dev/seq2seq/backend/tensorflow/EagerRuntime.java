package dev.seq2seq.backend.tensorflow;

import static org.tensorflow.internal.c_api.global.tensorflow.TFE_ContextListDevices;
import static org.tensorflow.internal.c_api.global.tensorflow.TFE_ContextOptionsSetAsync;
import static org.tensorflow.internal.c_api.global.tensorflow.TFE_ContextOptionsSetConfig;
import static org.tensorflow.internal.c_api.global.tensorflow.TFE_ContextOptionsSetDevicePlacementPolicy;
import static org.tensorflow.internal.c_api.global.tensorflow.TFE_DEVICE_PLACEMENT_SILENT;
import static org.tensorflow.internal.c_api.global.tensorflow.TFE_DeleteContextOptions;
import static org.tensorflow.internal.c_api.global.tensorflow.TFE_NewContextOptions;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteDeviceList;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeviceListCount;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeviceListName;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeviceListType;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_TensorData;
import static org.tensorflow.internal.c_api.global.tensorflow.TFE_NewTensorHandle;

import dev.seq2seq.api.backend.RawTensor;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Pointer;
import org.tensorflow.internal.c_api.TFE_Context;
import org.tensorflow.internal.c_api.TFE_ContextOptions;
import org.tensorflow.internal.c_api.TFE_TensorHandle;
import org.tensorflow.internal.c_api.TF_DeviceList;
import org.tensorflow.internal.c_api.TF_Status;
import org.tensorflow.internal.c_api.TF_Tensor;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GPUOptions;

/**
 * The backend's eager execution context: one {@code TFE_Context} (what an
 * {@code org.tensorflow.EagerSession} wraps), the device every op is placed on, and the transfer
 * of host arrays into tensor handles.
 *
 * <p>Ops are executed through the TensorFlow C API rather than {@code org.tensorflow.op.Ops}: the
 * Java eager API attaches every op output to the session and frees it only when the garbage
 * collector notices or the session closes, whereas here each handle is deleted explicitly (see
 * {@link EagerKernelScope} and {@link TensorFlowTensor}). The context lives as long as the process (a
 * backend is created once per process); only a backend whose device selection fails deletes it.
 */
final class EagerRuntime {
  private final TFE_Context context;
  private final DeviceSelector.Device device;
  private final NativeBuild build;
  private final boolean host;

  private EagerRuntime(TFE_Context context, DeviceSelector.Device device, NativeBuild build) {
    this.context = context;
    this.device = device;
    this.build = build;
    this.host = "CPU".equals(device.type());
  }

  /**
   * Loads TensorFlow, creates the context and selects the requested device.
   *
   * @throws IllegalStateException if the device does not exist (see {@link DeviceSelector#select})
   */
  static EagerRuntime open(DeviceSelector.Request request) {
    NativeBuild build = NativeBuild.detect();
    TFE_Context context = newContext();
    try {
      DeviceSelector.Device device = DeviceSelector.select(request, listDevices(context), build);
      return new EagerRuntime(context, device, build);
    } catch (RuntimeException e) {
      context.deallocate();
      throw e;
    }
  }

  NativeBuild build() {
    return build;
  }

  DeviceSelector.Device device() {
    return device;
  }

  /**
   * The context of one kernel call: eager execution, or the graph of the compiled step that this
   * thread is tracing (see {@link GraphTrace}).
   */
  KernelScope scope() {
    GraphTrace trace = GraphTrace.current(this);
    return trace != null ? new GraphKernelScope(trace) : new EagerKernelScope(this);
  }

  boolean onHost() {
    return host;
  }

  TFE_Context context() {
    return context;
  }

  EagerOp newOp(EagerKernelScope scope, String type) {
    return new EagerOp(scope, context, device.name(), type);
  }

  /**
   * A tensor on the backend's device holding {@code shape.size()} elements written by {@code fill};
   * while a compiled step is traced on this thread, a {@code Const} op of its graph instead.
   */
  RawTensor upload(DType dtype, Shape shape, Consumer<Pointer> fill) {
    GraphTrace trace = GraphTrace.current(this);
    if (trace != null) {
      return trace.constant(dtype, shape, fill);
    }
    TFE_TensorHandle handle = newHandle(TfTypes.of(dtype), (long) dtype.byteSize() * shape.size(), dims(shape), fill);
    if (!host) {
      TF_Status status = TfStatus.fresh();
      TFE_TensorHandle onDevice = handle.copyToDevice(context, device.name(), status);
      handle.deallocate();
      status.throwExceptionIfNotOK();
      handle = onDevice;
    }
    return TensorFlowTensor.wrap(handle, shape, dtype);
  }

  /**
   * Adopts a host tensor produced by a session run as a tensor on the backend's device (no copy on
   * CPU: the handle shares the buffer). The caller still deletes {@code tensor}.
   */
  TensorFlowTensor adopt(TF_Tensor tensor, Shape shape, DType dtype) {
    TF_Status status = TfStatus.fresh();
    TFE_TensorHandle handle = TFE_NewTensorHandle(tensor, status);
    status.throwExceptionIfNotOK();
    handle.withDeallocator();
    if (!host) {
      TFE_TensorHandle onDevice = handle.copyToDevice(context, device.name(), status);
      handle.deallocate();
      status.throwExceptionIfNotOK();
      handle = onDevice;
    }
    return TensorFlowTensor.wrap(handle, shape, dtype);
  }

  /** A host-memory int32 handle (shapes, axes, indices for kernels); the caller owns it. */
  TFE_TensorHandle hostInts(int[] values, long[] dims) {
    return newHandle(TfTypes.INT32, 4L * values.length, dims, data -> new IntPointer(data).capacity(values.length).put(values));
  }

  private static TFE_TensorHandle newHandle(int tfType, long bytes, long[] dims, Consumer<Pointer> fill) {
    TF_Tensor tensor = TF_Tensor.allocateTensor(tfType, dims, bytes);
    if (tensor == null || tensor.isNull()) {
      throw new IllegalStateException("tensorflow: cannot allocate a tensor of " + bytes + " bytes");
    }
    try {
      if (bytes > 0) {
        fill.accept(TF_TensorData(tensor));
      }
      TF_Status status = TfStatus.fresh();
      TFE_TensorHandle handle = TFE_TensorHandle.newTensor(tensor, status);
      status.throwExceptionIfNotOK();
      return handle;
    } finally {
      tensor.deallocate(); // the handle holds its own reference to the buffer
    }
  }

  private static long[] dims(Shape shape) {
    long[] dims = new long[shape.rank()];
    for (int i = 0; i < dims.length; i++) {
      dims[i] = shape.dim(i);
    }
    return dims;
  }

  private static TFE_Context newContext() {
    TFE_ContextOptions options = TFE_NewContextOptions();
    try {
      TF_Status status = TfStatus.fresh();
      // Grow GPU memory on demand instead of reserving the whole card; ignored on CPU.
      byte[] config = ConfigProto.newBuilder()
          .setGpuOptions(GPUOptions.newBuilder().setAllowGrowth(true))
          .build()
          .toByteArray();
      BytePointer bytes = new BytePointer(config);
      try {
        TFE_ContextOptionsSetConfig(options, bytes, config.length, status);
      } finally {
        bytes.deallocate();
      }
      status.throwExceptionIfNotOK();
      TFE_ContextOptionsSetAsync(options, (byte) 0);
      TFE_ContextOptionsSetDevicePlacementPolicy(options, TFE_DEVICE_PLACEMENT_SILENT);
      TFE_Context context = TFE_Context.newContext(options, status);
      status.throwExceptionIfNotOK();
      // Tensor handles must not outlive their context, so the garbage collector may never delete it.
      return context.retainReference();
    } finally {
      TFE_DeleteContextOptions(options);
    }
  }

  private static List<DeviceSelector.Device> listDevices(TFE_Context context) {
    TF_Status status = TfStatus.fresh();
    TF_DeviceList list = TFE_ContextListDevices(context, status);
    status.throwExceptionIfNotOK();
    try {
      List<DeviceSelector.Device> devices = new ArrayList<>();
      for (int i = 0; i < TF_DeviceListCount(list); i++) {
        String name = TF_DeviceListName(list, i, status).getString();
        status.throwExceptionIfNotOK();
        String type = TF_DeviceListType(list, i, status).getString();
        status.throwExceptionIfNotOK();
        devices.add(DeviceSelector.Device.of(name, type));
      }
      return devices;
    } finally {
      TF_DeleteDeviceList(list);
    }
  }
}
