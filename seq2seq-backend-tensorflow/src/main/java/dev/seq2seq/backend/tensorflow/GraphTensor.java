package dev.seq2seq.backend.tensorflow;

import dev.seq2seq.api.backend.RawTensor;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Shape;

/**
 * A symbolic tensor: an output of the graph of a compiled step while it is traced. Its shape and
 * dtype are known (from TensorFlow's shape inference); its values are not, so every read throws
 * {@link IllegalStateException}. It can only be used as a kernel input inside its own trace; the
 * graph owns it, so {@link #close()} does nothing.
 */
final class GraphTensor implements RawTensor {
  private final GraphTrace trace;
  private final TfValue value;
  private final Shape shape;
  private final DType dtype;

  GraphTensor(GraphTrace trace, TfValue value, Shape shape, DType dtype) {
    this.trace = trace;
    this.value = value;
    this.shape = shape;
    this.dtype = dtype;
  }

  GraphTrace trace() {
    return trace;
  }

  TfValue value() {
    return value;
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
  public float[] toFloatArray() {
    throw readError();
  }

  @Override
  public double[] toDoubleArray() {
    throw readError();
  }

  @Override
  public int[] toIntArray() {
    throw readError();
  }

  private IllegalStateException readError() {
    if (trace.isActive()) {
      return new IllegalStateException(String.format(
          "cannot read tensor values while tracing compiled step '%s' (%s %s is symbolic); a step function "
              + "must not call item(), toFloatArray() ... : return the tensor as an output instead",
          trace.stepName(), dtype.label(), shape));
    }
    return usedOutsideTrace();
  }

  /** The error for a symbolic tensor that escaped its trace (e.g. stored in a field by the step function). */
  IllegalStateException usedOutsideTrace() {
    return new IllegalStateException(String.format(
        "tensorflow: symbolic %s tensor %s of compiled step '%s' used outside its trace; the tensors a step "
            + "function creates exist only in its graph: return them as outputs",
        dtype.label(), shape, trace.stepName()));
  }

  @Override
  public void close() {}

  @Override
  public String toString() {
    return String.format("GraphTensor[%s %s of '%s']", dtype.label(), shape, trace.stepName());
  }
}
