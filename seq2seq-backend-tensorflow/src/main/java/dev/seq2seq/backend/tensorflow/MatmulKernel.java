package dev.seq2seq.backend.tensorflow;

import dev.seq2seq.api.backend.Op;
import dev.seq2seq.api.backend.RawTensor;

/** Batched matrix product: {@code BatchMatMulV3}, whose batch axes broadcast like NumPy's. */
final class MatmulKernel {
  private final EagerRuntime runtime;

  MatmulKernel(EagerRuntime runtime) {
    this.runtime = runtime;
  }

  /** {@code op(a) @ op(b)}; for real types {@code adj_x}/{@code adj_y} are plain transposes. */
  RawTensor matmul(RawTensor a, RawTensor b, boolean transposeA, boolean transposeB) {
    if (!a.dtype().isFloating()) {
      throw ElementwiseKernels.unsupported(Op.MATMUL, a.dtype());
    }
    int t = TfTypes.of(a.dtype());
    try (KernelScope s = runtime.scope()) {
      return s.keep(s.op("BatchMatMulV3").input(s.in(a)).input(s.in(b))
          .type("Ta", t).type("Tb", t).type("Tout", t)
          .flag("adj_x", transposeA).flag("adj_y", transposeB)
          .run());
    }
  }
}
