package dev.seq2seq.backend.tensorflow;

import dev.seq2seq.api.backend.Op;
import dev.seq2seq.api.backend.RawTensor;

/**
 * Matrix product: {@code MatMul} for two matrices, {@code BatchMatMulV3} (batch axes broadcast like
 * NumPy's) otherwise. On 2-D operands {@code MatMul} trained the bench's RNN configurations a and b
 * 12-40 % faster in compiled steps than {@code BatchMatMulV3} (same numbers within float32 matmul
 * tolerance; interleaved runs, 2026-11-23).
 */
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
      if (a.shape().rank() == 2 && b.shape().rank() == 2) {
        return s.keep(s.op("MatMul").input(s.in(a)).input(s.in(b)).type("T", t)
            .flag("transpose_a", transposeA).flag("transpose_b", transposeB).run());
      }
      return s.keep(s.op("BatchMatMulV3").input(s.in(a)).input(s.in(b))
          .type("Ta", t).type("Tb", t).type("Tout", t)
          .flag("adj_x", transposeA).flag("adj_y", transposeB)
          .run());
    }
  }
}
