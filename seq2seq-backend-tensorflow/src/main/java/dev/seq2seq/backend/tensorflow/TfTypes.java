package dev.seq2seq.backend.tensorflow;

import static org.tensorflow.internal.c_api.global.tensorflow.TF_BOOL;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DOUBLE;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_FLOAT;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_INT32;

import dev.seq2seq.api.tensor.DType;

/** Maps {@link DType} to the TensorFlow C API {@code TF_DataType} codes and back. */
final class TfTypes {
  /** {@code TF_BOOL}: comparison results inside kernels, never exposed as a tensor. */
  static final int BOOL = TF_BOOL;
  /** {@code TF_INT32}: indices, shapes and axes. */
  static final int INT32 = TF_INT32;

  private TfTypes() {}

  static int of(DType dtype) {
    switch (dtype) {
      case FLOAT32:
        return TF_FLOAT;
      case FLOAT64:
        return TF_DOUBLE;
      case INT32:
        return TF_INT32;
      default:
        throw new IllegalArgumentException("no TensorFlow type for " + dtype);
    }
  }

  static DType toDType(int tfType) {
    if (tfType == TF_FLOAT) {
      return DType.FLOAT32;
    } else if (tfType == TF_DOUBLE) {
      return DType.FLOAT64;
    } else if (tfType == TF_INT32) {
      return DType.INT32;
    }
    throw new IllegalStateException("TensorFlow produced a tensor of TF_DataType " + tfType
        + ", which has no seq2seq dtype (float32, float64, int32)");
  }
}
