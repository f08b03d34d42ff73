package dev.seq2seq.backend.tensorflow;

/**
 * One TensorFlow op under construction, the same for both execution modes: {@link EagerOp} runs it
 * at once ({@code TFE_Execute}), {@link GraphOp} adds it to the graph of the compiled step being
 * traced. Kernels are written once against this interface.
 */
interface OpBuilder {
  /** Adds the next single-tensor input. */
  OpBuilder input(TfValue value);

  /** Adds a list input (e.g. the values of ConcatV2). */
  OpBuilder inputList(TfValue[] values);

  /** Sets a type attribute to a {@code TF_DataType} code. */
  OpBuilder type(String attr, int tfType);

  /** Sets an int attribute. */
  OpBuilder integer(String attr, long value);

  /** Sets a bool attribute. */
  OpBuilder flag(String attr, boolean value);

  /** Finishes an op with one output and returns it. */
  default TfValue run() {
    return run(1)[0];
  }

  /** Finishes the op and returns its {@code count} outputs. */
  TfValue[] run(int count);
}
