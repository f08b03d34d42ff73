package dev.seq2seq.backend.tensorflow;

import dev.seq2seq.api.backend.Op;
import dev.seq2seq.api.backend.RawTensor;
import java.util.Arrays;

/**
 * Matrix product: {@code MatMul} for two matrices, otherwise (batch axes broadcast like NumPy's)
 * {@code BatchMatMulV2} when both operands have the same batch axes and every product has at least
 * two rows and a depth of at least two, else {@code BatchMatMulV3}. A batch of {@code a} (not
 * transposed) times one matrix {@code b} is one {@code MatMul} of {@code a} with its batch axes
 * folded into the rows. All give the same numbers within float32 matmul tolerance; they differ in
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
 *
 * <p><b>No broadcasting through oneDNN.</b> {@code _MklBatchMatMulV2} of TensorFlow 2.18 corrupts
 * memory when it broadcasts batch axes, e.g. {@code [8, 1, 5, 16] x [16, 1]} or
 * {@code [8, 1, 4, 5] x [1, 1, 5, 1]}: wrong values, then heap corruption ({@code free(): invalid
 * pointer}, SIGSEGV in {@code dnnl_memory_set_data_handle_v2} or {@code TF_SessionRun}), eagerly
 * and in compiled steps alike; with {@code TF_ENABLE_ONEDNN_OPTS=0} the same products are right.
 * Reported upstream (all after 2.18): tensorflow/tensorflow issues 117700 and 123109 (rank-4
 * {@code [B, 1, M, K]} times a broadcast rank-2 operand, gone with oneDNN off), pull request 120199
 * (strides of broadcast axes in the oneDNN batch matmul). So products whose batch axes differ never
 * take {@code BatchMatMulV2}: the common one (a batch times one matrix) folds into {@code MatMul},
 * the rest take {@code BatchMatMulV3} (MatmulKernelTest; CompiledStepTest in a compiled step).
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
    int[] da = a.shape().toArray();
    int[] db = b.shape().toArray();
    try (KernelScope s = runtime.scope()) {
      if (da.length == 2 && db.length == 2) {
        return s.keep(matmul2d(s, s.in(a), s.in(b), t, transposeA, transposeB));
      }
      if (!transposeA && db.length == 2) {
        // [..., M, K] @ op(b) = ([... * M, K] @ op(b)) reshaped to [..., M, N]
        int allRows = 1;
        for (int i = 0; i < da.length - 1; i++) {
          allRows *= da[i];
        }
        TfValue folded = s.op("Reshape").input(s.in(a)).input(s.vector(allRows, da[da.length - 1]))
            .type("T", t).type("Tshape", TfTypes.INT32).run();
        int[] out = da.clone();
        out[out.length - 1] = transposeB ? db[0] : db[1];
        return s.keep(s.op("Reshape").input(matmul2d(s, folded, s.in(b), t, false, transposeB)).input(s.vector(out))
            .type("T", t).type("Tshape", TfTypes.INT32).run());
      }
      int rows = transposeA ? da[da.length - 1] : da[da.length - 2];
      int depth = transposeA ? da[da.length - 2] : da[da.length - 1];
      boolean sameBatch = Arrays.equals(da, 0, da.length - 2, db, 0, db.length - 2);
      if (sameBatch && rows >= 2 && depth >= 2) {
        return s.keep(s.op("BatchMatMulV2").input(s.in(a)).input(s.in(b)).type("T", t)
            .flag("adj_x", transposeA).flag("adj_y", transposeB).run());
      }
      return s.keep(s.op("BatchMatMulV3").input(s.in(a)).input(s.in(b))
          .type("Ta", t).type("Tb", t).type("Tout", t)
          .flag("adj_x", transposeA).flag("adj_y", transposeB)
          .run());
    }
  }

  private static TfValue matmul2d(KernelScope s, TfValue a, TfValue b, int t, boolean transposeA, boolean transposeB) {
    return s.op("MatMul").input(a).input(b).type("T", t)
        .flag("transpose_a", transposeA).flag("transpose_b", transposeB).run();
  }
}
