package dev.seq2seq.backend.tensorflow;

import dev.seq2seq.api.backend.Op;
import dev.seq2seq.api.backend.RawTensor;
import dev.seq2seq.api.backend.UnsupportedOpException;
import dev.seq2seq.api.tensor.DType;

/** Elementwise kernels: unary and binary ops, {@code where} and {@code cast}. */
final class ElementwiseKernels {
  private final EagerRuntime runtime;

  ElementwiseKernels(EagerRuntime runtime) {
    this.runtime = runtime;
  }

  RawTensor unary(Op op, RawTensor x) {
    if (!x.dtype().isFloating()) {
      throw unsupported(op, x.dtype());
    }
    try (KernelScope s = runtime.scope()) {
      return s.keep(s.op(unaryType(op)).input(s.in(x)).type("T", TfTypes.of(x.dtype())).run());
    }
  }

  RawTensor binary(Op op, RawTensor a, RawTensor b) {
    DType dtype = a.dtype();
    if (dtype == DType.INT32 && op == Op.DIV) {
      throw unsupported(op, dtype);
    }
    int t = TfTypes.of(dtype);
    try (KernelScope s = runtime.scope()) {
      TfValue out = s.op(binaryType(op)).input(s.in(a)).input(s.in(b)).type("T", t).run();
      if (isComparison(op)) {
        out = s.op("Cast").input(out).type("SrcT", TfTypes.BOOL).type("DstT", t).run();
      }
      return s.keep(out);
    }
  }

  /**
   * One of TensorFlow's activation-gradient kernels on same-shaped tensors: {@code SigmoidGrad(y, g)}
   * = {@code g * (y * (1 - y))}, {@code TanhGrad(y, g)} = {@code g * (1 - y * y)}, {@code ReluGrad(g, x)}
   * = {@code g * (x > 0)} (the forward value or input first for the first two, the gradient first
   * for ReLU, as TensorFlow names them).
   */
  RawTensor activationGradient(String type, RawTensor first, RawTensor second) {
    try (KernelScope s = runtime.scope()) {
      return s.keep(s.op(type).input(s.in(first)).input(s.in(second)).type("T", TfTypes.of(first.dtype())).run());
    }
  }

  /** {@code g * (y * (1 - y))} as three kernels: {@code Sub}, {@code Mul}, {@code Mul}. */
  RawTensor sigmoidGradientComposed(RawTensor g, RawTensor y) {
    int t = TfTypes.of(y.dtype());
    try (KernelScope s = runtime.scope()) {
      TfValue one = s.op("Cast").input(s.scalar(1)).type("SrcT", TfTypes.INT32).type("DstT", t).run();
      TfValue complement = s.op("Sub").input(one).input(s.in(y)).type("T", t).run();
      TfValue slope = s.op("Mul").input(s.in(y)).input(complement).type("T", t).run();
      return s.keep(s.op("Mul").input(s.in(g)).input(slope).type("T", t).run());
    }
  }

  /** {@code cond != 0 ? a : b} with broadcasting: SelectV2 on {@code NotEqual(cond, 0)}. */
  RawTensor where(RawTensor cond, RawTensor a, RawTensor b) {
    try (KernelScope s = runtime.scope()) {
      int condType = TfTypes.of(cond.dtype());
      TfValue zero = s.scalar(0);
      if (cond.dtype() != DType.INT32) {
        zero = s.op("Cast").input(zero).type("SrcT", TfTypes.INT32).type("DstT", condType).run();
      }
      TfValue mask = s.op("NotEqual").input(s.in(cond)).input(zero).type("T", condType).run();
      return s.keep(s.op("SelectV2").input(mask).input(s.in(a)).input(s.in(b)).type("T", TfTypes.of(a.dtype())).run());
    }
  }

  /** Element type conversion; float to int truncates toward zero (TensorFlow's Cast is a C++ cast). */
  RawTensor cast(RawTensor x, DType dtype) {
    try (KernelScope s = runtime.scope()) {
      if (x.dtype() == dtype) {
        return s.keep(s.op("Identity").input(s.in(x)).type("T", TfTypes.of(dtype)).run());
      }
      return s.keep(s.op("Cast").input(s.in(x))
          .type("SrcT", TfTypes.of(x.dtype())).type("DstT", TfTypes.of(dtype)).flag("Truncate", false).run());
    }
  }

  private static boolean isComparison(Op op) {
    return op == Op.EQUAL || op == Op.GREATER || op == Op.LESS;
  }

  private static String unaryType(Op op) {
    switch (op) {
      case NEG:
        return "Neg";
      case EXP:
        return "Exp";
      case LOG:
        return "Log";
      case SQRT:
        return "Sqrt";
      case TANH:
        return "Tanh";
      case SIGMOID:
        return "Sigmoid";
      case RELU:
        return "Relu";
      default:
        throw new IllegalArgumentException(op.label() + " is not a unary op");
    }
  }

  private static String binaryType(Op op) {
    switch (op) {
      case ADD:
        return "AddV2";
      case SUB:
        return "Sub";
      case MUL:
        return "Mul";
      case DIV:
        return "RealDiv";
      case MAXIMUM:
        return "Maximum";
      case EQUAL:
        return "Equal";
      case GREATER:
        return "Greater";
      case LESS:
        return "Less";
      default:
        throw new IllegalArgumentException(op.label() + " is not a binary op");
    }
  }

  static UnsupportedOpException unsupported(Op op, DType dtype) {
    return new UnsupportedOpException(op, TensorFlowBackend.NAME, "dtype " + dtype.label());
  }
}
