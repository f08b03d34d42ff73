package dev.seq2seq.backend.tensorflow;

import dev.seq2seq.api.backend.RawTensor;
import dev.seq2seq.api.tensor.Shape;
import java.util.List;

/** Kernels that move elements without arithmetic: reshape, permute, concat, slice, pad. */
final class ShapeKernels {
  private final EagerRuntime runtime;

  ShapeKernels(EagerRuntime runtime) {
    this.runtime = runtime;
  }

  /** Reshape; the result shares the input's buffer (TensorFlow reference-counts it). */
  RawTensor reshape(RawTensor x, Shape shape) {
    try (KernelScope s = runtime.scope()) {
      return s.keep(s.op("Reshape").input(s.in(x)).input(s.vector(shape.toArray()))
          .type("T", TfTypes.of(x.dtype())).type("Tshape", TfTypes.INT32).run());
    }
  }

  RawTensor permute(RawTensor x, int[] permutation) {
    try (KernelScope s = runtime.scope()) {
      return s.keep(s.op("Transpose").input(s.in(x)).input(s.vector(permutation))
          .type("T", TfTypes.of(x.dtype())).type("Tperm", TfTypes.INT32).run());
    }
  }

  /** ConcatV2; it needs at least two inputs, so a single part is copied with Identity. */
  RawTensor concat(List<RawTensor> parts, int axis) {
    try (KernelScope s = runtime.scope()) {
      if (parts.size() == 1) {
        RawTensor only = parts.get(0);
        return s.keep(s.op("Identity").input(s.in(only)).type("T", TfTypes.of(only.dtype())).run());
      }
      TfValue[] values = new TfValue[parts.size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = s.in(parts.get(i));
      }
      return s.keep(s.op("ConcatV2").inputList(values).input(s.scalar(axis))
          .integer("N", values.length).type("T", TfTypes.of(parts.get(0).dtype())).type("Tidx", TfTypes.INT32)
          .run());
    }
  }

  RawTensor slice(RawTensor x, int[] begin, int[] size) {
    try (KernelScope s = runtime.scope()) {
      return s.keep(s.op("Slice").input(s.in(x)).input(s.vector(begin)).input(s.vector(size))
          .type("T", TfTypes.of(x.dtype())).type("Index", TfTypes.INT32).run());
    }
  }

  /** Zero padding: {@code Pad} with a {@code [rank, 2]} paddings tensor. */
  RawTensor pad(RawTensor x, int[] before, int[] after) {
    int rank = before.length;
    int[] paddings = new int[2 * rank];
    for (int i = 0; i < rank; i++) {
      paddings[2 * i] = before[i];
      paddings[2 * i + 1] = after[i];
    }
    try (KernelScope s = runtime.scope()) {
      return s.keep(s.op("Pad").input(s.in(x)).input(s.ints(paddings, rank, 2))
          .type("T", TfTypes.of(x.dtype())).type("Tpaddings", TfTypes.INT32).run());
    }
  }
}
