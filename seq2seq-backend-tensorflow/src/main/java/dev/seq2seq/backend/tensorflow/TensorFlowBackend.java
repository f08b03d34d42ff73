package dev.seq2seq.backend.tensorflow;

import dev.seq2seq.api.backend.ActivationGradients;
import dev.seq2seq.api.backend.Backend;
import dev.seq2seq.api.backend.Op;
import dev.seq2seq.api.backend.RawTensor;
import dev.seq2seq.api.compile.CompiledStep;
import dev.seq2seq.api.compile.Compiler;
import dev.seq2seq.api.compile.StepFunction;
import dev.seq2seq.api.module.Parameter;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Shape;
import java.util.List;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;

/**
 * The {@code tensorflow} backend: every kernel is one or a few TensorFlow ops executed eagerly on
 * one device (CPU by default, {@code -Dseq2seq.tensorflow.device=gpu} for CUDA).
 *
 * <p>Each {@link TensorFlowTensor} owns one native tensor handle and frees it on
 * {@link RawTensor#close()}; the intermediates of a kernel are freed before it returns. Instances
 * are obtained through {@link dev.seq2seq.api.backend.Backends}; creation loads the native library
 * (a few seconds on the first run, which unpacks it into {@code ~/.javacpp/cache}).
 *
 * <p>TensorFlow's native log level is read from the environment variable
 * {@code TF_CPP_MIN_LOG_LEVEL} when the library starts; Java cannot set it, so export
 * {@code TF_CPP_MIN_LOG_LEVEL=2} to silence the start-up messages.
 *
 * <p>As a {@link Compiler} it runs whole steps ({@link dev.seq2seq.api.compile.Steps#compile}) as one
 * graph execution: the step function is traced once per input signature into a TensorFlow graph
 * (the same kernels, building graph ops instead of executing them), its state parameters are kept
 * in resource variables of the graph's session, and each call is a single session run.
 */
public final class TensorFlowBackend implements Backend, Compiler, ActivationGradients {
  /** The backend's name for the selection switch. */
  public static final String NAME = "tensorflow";

  private final EagerRuntime runtime;
  private final ElementwiseKernels elementwise;
  private final ReductionKernels reductions;
  private final MatmulKernel matmul;
  private final ShapeKernels shapes;
  private final IndexKernels indexing;

  /**
   * A backend on the device named by the system property {@code seq2seq.tensorflow.device}
   * (default {@code cpu}).
   *
   * @throws IllegalStateException if that device is not available (e.g. a GPU with the CPU-only natives)
   */
  public TensorFlowBackend() {
    this(DeviceSelector.fromSystemProperty());
  }

  /**
   * A backend on the given device: {@code cpu}, {@code gpu}, {@code gpu:1}, {@code /GPU:0}, ...
   *
   * @throws IllegalArgumentException if {@code device} is malformed
   * @throws IllegalStateException if that device is not available
   */
  public TensorFlowBackend(String device) {
    this(DeviceSelector.parse(device));
  }

  private TensorFlowBackend(DeviceSelector.Request device) {
    this.runtime = EagerRuntime.open(device);
    this.elementwise = new ElementwiseKernels(runtime);
    this.reductions = new ReductionKernels(runtime);
    this.matmul = new MatmulKernel(runtime);
    this.shapes = new ShapeKernels(runtime);
    this.indexing = new IndexKernels(runtime);
  }

  @Override
  public String name() {
    return NAME;
  }

  /** E.g. {@code tensorflow: TensorFlow 2.18.0 (Java 1.1.0), native build linux-x86_64 (CPU), device /CPU:0}. */
  @Override
  public String description() {
    NativeBuild build = runtime.build();
    return String.format("%s: TensorFlow %s (Java %s), native build %s, device %s",
        NAME, build.tensorFlowVersion(), build.javaApiVersion(), build.label(), runtime.device().shortName());
  }

  /** What was loaded: versions, native build and library path. */
  public NativeBuild nativeBuild() {
    return runtime.build();
  }

  /** The full TensorFlow name of the device the kernels run on. */
  public String device() {
    return runtime.device().name();
  }

  /**
   * A step traced into a TensorFlow graph once per input signature and run as one session execution
   * per call; close it to release its graphs, sessions and device state.
   */
  @Override
  public CompiledStep compile(String name, List<Parameter> state, StepFunction function) {
    return new TensorFlowCompiledStep(this, runtime, name, state, function);
  }

  @Override
  public RawTensor fromFloats(float[] data, Shape shape) {
    checkLength(data.length, shape);
    return runtime.upload(DType.FLOAT32, shape, p -> new FloatPointer(p).capacity(data.length).put(data));
  }

  @Override
  public RawTensor fromDoubles(double[] data, Shape shape) {
    checkLength(data.length, shape);
    return runtime.upload(DType.FLOAT64, shape, p -> new DoublePointer(p).capacity(data.length).put(data));
  }

  @Override
  public RawTensor fromInts(int[] data, Shape shape) {
    checkLength(data.length, shape);
    return runtime.upload(DType.INT32, shape, p -> new IntPointer(p).capacity(data.length).put(data));
  }

  private static void checkLength(int length, Shape shape) {
    if (length != shape.size()) {
      throw new IllegalArgumentException(String.format(
          "%s: %d values for shape %s, which has %d elements", NAME, length, shape, shape.size()));
    }
  }

  @Override
  public RawTensor unary(Op op, RawTensor x) {
    return elementwise.unary(op, x);
  }

  @Override
  public RawTensor binary(Op op, RawTensor a, RawTensor b) {
    return elementwise.binary(op, a, b);
  }

  @Override
  public RawTensor reduce(Op op, RawTensor x, int[] axes, boolean keepDims) {
    return reductions.reduce(op, x, axes, keepDims);
  }

  @Override
  public RawTensor matmul(RawTensor a, RawTensor b, boolean transposeA, boolean transposeB) {
    return matmul.matmul(a, b, transposeA, transposeB);
  }

  @Override
  public RawTensor softmax(RawTensor x, int axis) {
    return reductions.softmax(x, axis);
  }

  @Override
  public RawTensor logSoftmax(RawTensor x, int axis) {
    return reductions.logSoftmax(x, axis);
  }

  @Override
  public RawTensor reshape(RawTensor x, Shape shape) {
    return shapes.reshape(x, shape);
  }

  @Override
  public RawTensor permute(RawTensor x, int[] permutation) {
    return shapes.permute(x, permutation);
  }

  @Override
  public RawTensor concat(List<RawTensor> parts, int axis) {
    return shapes.concat(parts, axis);
  }

  @Override
  public RawTensor slice(RawTensor x, int[] begin, int[] size) {
    return shapes.slice(x, begin, size);
  }

  @Override
  public RawTensor pad(RawTensor x, int[] before, int[] after) {
    return shapes.pad(x, before, after);
  }

  @Override
  public RawTensor gather(RawTensor table, RawTensor indices, int axis) {
    return indexing.gather(table, indices, axis);
  }

  @Override
  public RawTensor scatterAdd(RawTensor indices, RawTensor updates, int axis, Shape outShape) {
    return indexing.scatterAdd(indices, updates, axis, outShape);
  }

  @Override
  public RawTensor where(RawTensor cond, RawTensor a, RawTensor b) {
    return elementwise.where(cond, a, b);
  }

  /**
   * TensorFlow's {@code SigmoidGrad}, {@code g * (y * (1 - y))}, one kernel where the composition runs
   * three, when the tensors hold a multiple of 16 elements; else the composition. The kernel's vector
   * lanes round as the composition does, but its scalar tail computes {@code (g * y) * (1 - y)}
   * (float32 elements 1025 and 1030 of 1031 differed); 16 elements fill whole AVX-512 and AVX2 lanes.
   */
  @Override
  public RawTensor sigmoidGradient(RawTensor g, RawTensor y) {
    return y.shape().size() % 16 == 0
        ? elementwise.activationGradient("SigmoidGrad", y, g)
        : elementwise.sigmoidGradientComposed(g, y);
  }

  /** TensorFlow's {@code TanhGrad}: {@code g * (1 - y * y)}. */
  @Override
  public RawTensor tanhGradient(RawTensor g, RawTensor y) {
    return elementwise.activationGradient("TanhGrad", y, g);
  }

  /** TensorFlow's {@code ReluGrad}: {@code g * (x > 0 ? 1 : 0)}. */
  @Override
  public RawTensor reluGradient(RawTensor g, RawTensor x) {
    return elementwise.activationGradient("ReluGrad", g, x);
  }

  @Override
  public RawTensor cast(RawTensor x, DType dtype) {
    return elementwise.cast(x, dtype);
  }

  @Override
  public RawTensor argmax(RawTensor x, int axis) {
    return reductions.argmax(x, axis);
  }

  @Override
  public RawTensor[] topK(RawTensor x, int k) {
    return reductions.topK(x, k);
  }

  @Override
  public String toString() {
    return description();
  }
}
