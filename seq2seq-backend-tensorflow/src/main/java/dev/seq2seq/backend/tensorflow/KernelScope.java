package dev.seq2seq.backend.tensorflow;

import dev.seq2seq.api.backend.RawTensor;

/**
 * The context one kernel call builds its ops in, the same kernel code for both modes:
 *
 * <ul>
 *   <li>{@link EagerKernelScope} executes each op at once and owns the native objects the call
 *       creates (ops, constants, intermediate handles), deleting all but the results on close;
 *   <li>{@link GraphKernelScope} adds the ops to the graph of the compiled step being traced on
 *       this thread (see {@link GraphTrace}); its results are symbolic {@link GraphTensor}s.
 * </ul>
 *
 * <p>{@link EagerRuntime#scope()} picks the mode. Kernels run inside
 * {@code try (KernelScope s = runtime.scope())}.
 */
abstract class KernelScope implements AutoCloseable {
  /** Starts building an op of the given TensorFlow type. */
  abstract OpBuilder op(String type);

  /** The value of an input tensor (which stays owned by the caller). */
  abstract TfValue in(RawTensor tensor);

  /** An int32 constant with the given values and dimensions (shapes, axes, paddings). */
  abstract TfValue ints(int[] values, long... dims);

  /** Hands {@code value} out as a kernel result: the returned raw tensor owns it from now on. */
  abstract RawTensor keep(TfValue value);

  /** Whether ops are added to a graph rather than executed. */
  abstract boolean tracing();

  /** A rank-1 int32 constant. */
  final TfValue vector(int... values) {
    return ints(values, values.length);
  }

  /** A rank-0 int32 constant. */
  final TfValue scalar(int value) {
    return ints(new int[] {value});
  }

  @Override
  public abstract void close();
}
