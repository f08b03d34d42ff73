package dev.seq2seq.backend.tensorflow;

import dev.seq2seq.api.backend.Op;
import dev.seq2seq.api.backend.RawTensor;

/**
 * Matrix product: {@code MatMul} for two matrices, otherwise (batch axes broadcast like NumPy's)
 * {@code BatchMatMulV2} when every product has at least two rows and a depth of at least two, else
 * {@code BatchMatMulV3}. All give the same numbers within float32 matmul tolerance; they differ in
 * speed (interleaved runs, 2026-11-23):
 *
 * <ul>
 *   <li>On 2-D operands {@code MatMul} trained the bench's RNN configurations a and b 12-40 % faster
 *       in compiled steps than {@code BatchMatMulV3}.
 *   <li>TensorFlow's oneDNN rewrite turns {@code BatchMatMulV2} into {@code _MklBatchMatMulV2} but
 *       leaves V3 on Eigen. For the Transformer's per-head products (256 of 20x32x20 and the like)
 *       oneDNN took a compiled training step's batched products from 63.6 to 40.1 ms (c trained at
 *       10.4/9.3/10.3k -> 11.8/10.6/13.1k target tokens/s); for attention's one-row and depth-1
 *       products (a, b) it was slower (b: 27-32 -> 40-50 ms, a: 17 -> 22 ms).
 * </ul>
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
      int[] da = a.shape().toArray();
      int rows = transposeA ? da[da.length - 1] : da[da.length - 2];
      int depth = transposeA ? da[da.length - 2] : da[da.length - 1];
      if (rows >= 2 && depth >= 2) {
        return s.keep(s.op("BatchMatMulV2").input(s.in(a)).input(s.in(b)).type("T", t)
            .flag("adj_x", transposeA).flag("adj_y", transposeB).run());
      }
      return s.keep(s.op("BatchMatMulV3").input(s.in(a)).input(s.in(b))
          .type("Ta", t).type("Tb", t).type("Tout", t)
          .flag("adj_x", transposeA).flag("adj_y", transposeB)
          .run());
    }
  }
}
