package dev.seq2seq.backend.tensorflow;

import static org.tensorflow.internal.c_api.global.tensorflow.TF_AddControlInput;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_AddInput;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_AddInputList;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewOperation;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_OperationNumOutputs;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_SetAttrBool;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_SetAttrInt;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_SetAttrShape;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_SetAttrString;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_SetAttrTensor;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_SetAttrType;

import java.nio.charset.StandardCharsets;
import org.bytedeco.javacpp.BytePointer;
import org.tensorflow.internal.c_api.TF_Operation;
import org.tensorflow.internal.c_api.TF_OperationDescription;
import org.tensorflow.internal.c_api.TF_Output;
import org.tensorflow.internal.c_api.TF_Status;
import org.tensorflow.internal.c_api.TF_Tensor;

/**
 * One TensorFlow op added to the graph of the compiled step being traced ({@code TF_NewOperation}
 * ... {@code TF_FinishOperation}); the graph owns it. Shape inference runs when it is finished, so
 * every output has a known static shape.
 */
final class GraphOp implements OpBuilder {
  private final GraphTrace trace;
  private final String type;
  private final TF_OperationDescription description;

  GraphOp(GraphTrace trace, String type) {
    this.trace = trace;
    this.type = type;
    this.description = TF_NewOperation(trace.graph(), type, trace.uniqueName(type));
  }

  @Override
  public GraphOp input(TfValue value) {
    TF_AddInput(description, trace.output(value));
    return this;
  }

  @Override
  public GraphOp inputList(TfValue[] values) {
    TF_Output list = new TF_Output(values.length);
    try {
      for (int i = 0; i < values.length; i++) {
        list.getPointer(i).oper(values[i].operation()).index(values[i].index);
      }
      TF_AddInputList(description, list, values.length);
    } finally {
      list.deallocate();
    }
    return this;
  }

  /** Runs this op only after {@code operation} has run. */
  GraphOp after(TF_Operation operation) {
    TF_AddControlInput(description, operation);
    return this;
  }

  @Override
  public GraphOp type(String attr, int tfType) {
    TF_SetAttrType(description, attr, tfType);
    return this;
  }

  @Override
  public GraphOp integer(String attr, long value) {
    TF_SetAttrInt(description, attr, value);
    return this;
  }

  @Override
  public GraphOp flag(String attr, boolean value) {
    TF_SetAttrBool(description, attr, (byte) (value ? 1 : 0));
    return this;
  }

  GraphOp shape(String attr, long[] dims) {
    TF_SetAttrShape(description, attr, dims, dims.length);
    return this;
  }

  GraphOp string(String attr, String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    BytePointer p = new BytePointer(bytes);
    try {
      TF_SetAttrString(description, attr, p, bytes.length);
    } finally {
      p.deallocate();
    }
    return this;
  }

  /** Sets a tensor attribute (copied into the graph; the caller keeps {@code value}). */
  GraphOp tensor(String attr, TF_Tensor value) {
    TF_Status status = TfStatus.fresh();
    TF_SetAttrTensor(description, attr, value, status);
    status.throwExceptionIfNotOK();
    return this;
  }

  /** Finishes an op without outputs (or whose outputs are not used) and returns it. */
  TF_Operation finish() {
    return trace.finish(description);
  }

  @Override
  public TfValue[] run(int count) {
    TF_Operation operation = trace.finish(description);
    int produced = TF_OperationNumOutputs(operation);
    if (produced != count) {
      throw new IllegalStateException(String.format("%s produced %d outputs, expected %d", type, produced, count));
    }
    TfValue[] outputs = new TfValue[count];
    for (int i = 0; i < count; i++) {
      outputs[i] = TfValue.graph(operation, i);
    }
    return outputs;
  }
}
