package dev.seq2seq.backend.tensorflow;

import static org.tensorflow.internal.c_api.global.tensorflow.TFE_TensorHandleResolve;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteGraph;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_FinishOperation;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_GraphGetTensorNumDims;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_GraphGetTensorShape;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewGraph;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_OperationOutputType;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_TensorData;

import dev.seq2seq.api.backend.RawTensor;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Shape;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Pointer;
import org.tensorflow.internal.c_api.TF_Graph;
import org.tensorflow.internal.c_api.TF_Operation;
import org.tensorflow.internal.c_api.TF_OperationDescription;
import org.tensorflow.internal.c_api.TF_Output;
import org.tensorflow.internal.c_api.TF_Status;
import org.tensorflow.internal.c_api.TF_Tensor;

/**
 * The graph of one compiled step being traced for one input signature, and the per-thread switch
 * that sends kernels into it.
 *
 * <p>While the trace is {@linkplain #begin() active} on a thread, {@link EagerRuntime#scope()}
 * returns {@link GraphKernelScope}s that add ops to this graph, and
 * {@link EagerRuntime#upload} (the backend's {@code fromFloats}/{@code fromDoubles}/{@code fromInts})
 * makes {@code Const} ops. Eager {@link TensorFlowTensor}s that reach a kernel as inputs are
 * captured as constants, once each (the step function's contract: captured tensors are frozen at
 * trace time). The graph is deleted by {@link #close()} unless its ownership was
 * {@linkplain #releaseGraph() released} to a {@link CompiledProgram}.
 */
final class GraphTrace implements AutoCloseable {
  private static final ThreadLocal<GraphTrace> CURRENT = new ThreadLocal<>();

  private final EagerRuntime runtime;
  private final String stepName;
  private TF_Graph graph;
  private final TF_Output scratch = new TF_Output(1);
  private final Map<RawTensor, TfValue> captures = new IdentityHashMap<>();
  private int counter;
  private boolean active;

  GraphTrace(EagerRuntime runtime, String stepName) {
    this.runtime = runtime;
    this.stepName = stepName;
    this.graph = TF_NewGraph();
  }

  /** The trace active on this thread for {@code runtime}, or {@code null}. */
  static GraphTrace current(EagerRuntime runtime) {
    GraphTrace trace = CURRENT.get();
    return trace != null && trace.runtime == runtime ? trace : null;
  }

  /** Makes this trace receive the kernels of this thread until {@link #end()}. */
  void begin() {
    if (CURRENT.get() != null) {
      throw new IllegalStateException(String.format(
          "tensorflow: cannot trace compiled step '%s' while tracing '%s' (compiled steps do not nest)",
          stepName, CURRENT.get().stepName));
    }
    CURRENT.set(this);
    active = true;
  }

  void end() {
    if (CURRENT.get() == this) {
      CURRENT.remove();
    }
    active = false;
  }

  boolean isActive() {
    return active;
  }

  String stepName() {
    return stepName;
  }

  TF_Graph graph() {
    if (graph == null) {
      throw new IllegalStateException("tensorflow: graph of compiled step '" + stepName + "' already released");
    }
    return graph;
  }

  /** Hands the graph to the caller, who deletes it; {@link #close()} then leaves it alone. */
  TF_Graph releaseGraph() {
    TF_Graph g = graph();
    graph = null;
    return g;
  }

  String uniqueName(String type) {
    return type + "_" + counter++;
  }

  GraphOp op(String type) {
    return new GraphOp(this, type);
  }

  TF_Operation finish(TF_OperationDescription description) {
    TF_Status status = TfStatus.fresh();
    TF_Operation operation = TF_FinishOperation(description, status);
    status.throwExceptionIfNotOK();
    return operation;
  }

  /** {@code value} as a (reused) {@code TF_Output} struct; valid until the next call. */
  TF_Output output(TfValue value) {
    return scratch.oper(value.operation()).index(value.index);
  }

  /** The graph value of a kernel input: a symbolic tensor of this trace or a captured constant. */
  TfValue valueOf(RawTensor tensor) {
    if (tensor instanceof GraphTensor) {
      GraphTensor g = (GraphTensor) tensor;
      if (g.trace() != this) {
        throw g.usedOutsideTrace();
      }
      return g.value();
    }
    TfValue captured = captures.get(tensor);
    if (captured == null) {
      captured = capture(TensorFlowTensor.cast(tensor));
      captures.put(tensor, captured);
    }
    return captured;
  }

  /** A {@code Const} holding a copy of an eager tensor's current values. */
  private TfValue capture(TensorFlowTensor tensor) {
    TF_Status status = TfStatus.fresh();
    TF_Tensor host = TFE_TensorHandleResolve(tensor.handle(), status);
    status.throwExceptionIfNotOK();
    host.withDeallocator();
    try {
      return op("Const").tensor("value", host).type("dtype", TfTypes.of(tensor.dtype())).run();
    } finally {
      host.deallocate();
    }
  }

  /** A {@code Const} of {@code shape.size()} elements written by {@code fill}. */
  GraphTensor constant(DType dtype, Shape shape, Consumer<Pointer> fill) {
    return symbolic(constant(TfTypes.of(dtype), dims(shape), (long) dtype.byteSize() * shape.size(), fill));
  }

  TfValue intConstant(int[] values, long... dims) {
    return constant(TfTypes.INT32, dims, 4L * values.length,
        data -> new IntPointer(data).capacity(values.length).put(values));
  }

  private TfValue constant(int tfType, long[] dims, long bytes, Consumer<Pointer> fill) {
    TF_Tensor tensor = TF_Tensor.allocateTensor(tfType, dims, bytes);
    if (tensor == null || tensor.isNull()) {
      throw new IllegalStateException("tensorflow: cannot allocate a tensor of " + bytes + " bytes");
    }
    try {
      if (bytes > 0) {
        fill.accept(TF_TensorData(tensor));
      }
      return op("Const").tensor("value", tensor).type("dtype", tfType).run();
    } finally {
      tensor.deallocate();
    }
  }

  /** A {@code Placeholder} fed at every run. */
  GraphTensor placeholder(DType dtype, Shape shape) {
    return symbolic(op("Placeholder").type("dtype", TfTypes.of(dtype)).shape("shape", dims(shape)).run());
  }

  /** Wraps a graph output as a symbolic tensor with its inferred static shape and dtype. */
  GraphTensor symbolic(TfValue value) {
    TF_Output out = output(value);
    TF_Status status = TfStatus.fresh();
    int rank = TF_GraphGetTensorNumDims(graph(), out, status);
    status.throwExceptionIfNotOK();
    if (rank < 0) {
      throw new IllegalStateException(String.format(
          "tensorflow: compiled step '%s': TensorFlow could not infer the rank of an output of %s",
          stepName, value.operation()));
    }
    long[] dims = new long[rank];
    TF_GraphGetTensorShape(graph(), out, dims, rank, status);
    status.throwExceptionIfNotOK();
    int[] shape = new int[rank];
    for (int i = 0; i < rank; i++) {
      if (dims[i] < 0) {
        throw new IllegalStateException(String.format(
            "tensorflow: compiled step '%s': TensorFlow could not infer dimension %d of an output of %s",
            stepName, i, value.operation()));
      }
      shape[i] = Math.toIntExact(dims[i]);
    }
    DType dtype = TfTypes.toDType(TF_OperationOutputType(output(value)));
    return new GraphTensor(this, value, Shape.of(shape), dtype);
  }

  static long[] dims(Shape shape) {
    long[] dims = new long[shape.rank()];
    for (int i = 0; i < dims.length; i++) {
      dims[i] = shape.dim(i);
    }
    return dims;
  }

  @Override
  public void close() {
    end();
    captures.clear();
    if (graph != null) {
      TF_DeleteGraph(graph);
      graph = null;
    }
    scratch.deallocate();
  }
}
