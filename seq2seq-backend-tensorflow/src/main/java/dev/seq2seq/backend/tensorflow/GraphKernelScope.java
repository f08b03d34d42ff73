package dev.seq2seq.backend.tensorflow;

import dev.seq2seq.api.backend.RawTensor;

/** The kernel context while a compiled step is traced: ops go into the trace's graph. */
final class GraphKernelScope extends KernelScope {
  private final GraphTrace trace;

  GraphKernelScope(GraphTrace trace) {
    this.trace = trace;
  }

  @Override
  GraphOp op(String type) {
    return new GraphOp(trace, type);
  }

  @Override
  TfValue in(RawTensor tensor) {
    return trace.valueOf(tensor);
  }

  @Override
  TfValue ints(int[] values, long... dims) {
    return trace.intConstant(values, dims);
  }

  @Override
  GraphTensor keep(TfValue value) {
    return trace.symbolic(value);
  }

  @Override
  boolean tracing() {
    return true;
  }

  @Override
  public void close() {}
}
