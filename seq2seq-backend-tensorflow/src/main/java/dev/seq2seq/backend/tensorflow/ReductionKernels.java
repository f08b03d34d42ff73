package dev.seq2seq.backend.tensorflow;

import dev.seq2seq.api.backend.Op;
import dev.seq2seq.api.backend.RawTensor;
import dev.seq2seq.api.tensor.DType;

/** Kernels that reduce along axes: sum/mean/max, argmax, top-k, softmax and log-softmax. */
final class ReductionKernels {
  private final EagerRuntime runtime;

  ReductionKernels(EagerRuntime runtime) {
    this.runtime = runtime;
  }

  /** Sum, Mean or Max over {@code axes}; TensorFlow's CPU reductions use tree (pairwise) summation. */
  RawTensor reduce(Op op, RawTensor x, int[] axes, boolean keepDims) {
    String type = reduceType(op);
    if (x.dtype() == DType.INT32 && op == Op.MEAN) {
      throw ElementwiseKernels.unsupported(op, x.dtype());
    }
    try (KernelScope s = runtime.scope()) {
      return s.keep(s.op(type).input(s.in(x)).input(s.vector(axes))
          .type("T", TfTypes.of(x.dtype())).type("Tidx", TfTypes.INT32).flag("keep_dims", keepDims)
          .run());
    }
  }

  /** ArgMax with int32 output; TensorFlow returns the first index among equal maxima. */
  RawTensor argmax(RawTensor x, int axis) {
    try (KernelScope s = runtime.scope()) {
      return s.keep(s.op("ArgMax").input(s.in(x)).input(s.scalar(axis))
          .type("T", TfTypes.of(x.dtype())).type("Tidx", TfTypes.INT32).type("output_type", TfTypes.INT32)
          .run());
    }
  }

  /** TopKV2 along the last axis, sorted descending; equal values keep the lower index first. */
  RawTensor[] topK(RawTensor x, int k) {
    try (KernelScope s = runtime.scope()) {
      TfValue[] out = s.op("TopKV2").input(s.in(x)).input(s.scalar(k))
          .type("T", TfTypes.of(x.dtype())).flag("sorted", true)
          .run(2);
      RawTensor values = s.keep(out[0]);
      try {
        return new RawTensor[] {values, s.keep(out[1])};
      } catch (RuntimeException e) {
        values.close();
        throw e;
      }
    }
  }

  RawTensor softmax(RawTensor x, int axis) {
    return lastAxisOp(Op.SOFTMAX, "Softmax", x, axis);
  }

  RawTensor logSoftmax(RawTensor x, int axis) {
    return lastAxisOp(Op.LOG_SOFTMAX, "LogSoftmax", x, axis);
  }

  /**
   * TensorFlow's (stable) Softmax and LogSoftmax work on the last axis: another axis is swapped to
   * the end and back.
   */
  private RawTensor lastAxisOp(Op op, String type, RawTensor x, int axis) {
    if (!x.dtype().isFloating()) {
      throw ElementwiseKernels.unsupported(op, x.dtype());
    }
    int t = TfTypes.of(x.dtype());
    int rank = x.shape().rank();
    try (KernelScope s = runtime.scope()) {
      if (axis == rank - 1) {
        return s.keep(s.op(type).input(s.in(x)).type("T", t).run());
      }
      int[] swap = new int[rank];
      for (int i = 0; i < rank; i++) {
        swap[i] = i;
      }
      swap[axis] = rank - 1;
      swap[rank - 1] = axis;
      TfValue perm = s.vector(swap);
      TfValue moved = s.op("Transpose").input(s.in(x)).input(perm).type("T", t).type("Tperm", TfTypes.INT32).run();
      TfValue y = s.op(type).input(moved).type("T", t).run();
      return s.keep(s.op("Transpose").input(y).input(perm).type("T", t).type("Tperm", TfTypes.INT32).run());
    }
  }

  private static String reduceType(Op op) {
    switch (op) {
      case SUM:
        return "Sum";
      case MEAN:
        return "Mean";
      case MAX:
        return "Max";
      default:
        throw new IllegalArgumentException(op.label() + " is not a reduction");
    }
  }
}
