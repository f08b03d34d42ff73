package dev.seq2seq.backend.ejml.gemm;

/**
 * A single-precision matrix product {@code C = op(A) op(B)} on row-major {@code float[]} storage.
 *
 * <p>{@code op(A)} is {@code m x k}: {@code A} is stored {@code m x k} (row stride {@code k}), or
 * {@code k x m} (row stride {@code m}) when {@code transA}. {@code op(B)} is {@code k x n}: {@code B}
 * is stored {@code k x n}, or {@code n x k} when {@code transB}. {@code C} is stored {@code m x n}
 * and overwritten (with zeros when {@code k == 0}). Each matrix starts at its offset in its array,
 * so the matrices of a batch are multiplied in place without copies. Implementations are safe for
 * concurrent use.
 */
public interface FloatGemm {
  /** The short name the selection property uses: {@code vector} or {@code ejml}. */
  String name();

  /** A human-readable description for the backend's {@code description()}. */
  String description();

  /** {@code c[cOff..] = op(a[aOff..]) op(b[bOff..])}. */
  void multiply(boolean transA, boolean transB, int m, int n, int k,
      float[] a, int aOff, float[] b, int bOff, float[] c, int cOff);

  /**
   * {@code count} products of one shape: {@code c[cOffs[i]..] = op(a[aOffs[i]..]) op(b[bOffs[i]..])}
   * for {@code i < count}, other arguments as in {@link #multiply}; the C matrices must not overlap.
   * This default runs them one after another; an implementation may run them on several threads
   * (each product gives the same bits as {@link #multiply}).
   */
  default void multiplyBatch(boolean transA, boolean transB, int m, int n, int k, int count,
      float[] a, int[] aOffs, float[] b, int[] bOffs, float[] c, int[] cOffs) {
    for (int i = 0; i < count; i++) {
      multiply(transA, transB, m, n, k, a, aOffs[i], b, bOffs[i], c, cOffs[i]);
    }
  }

  /**
   * The length of the array {@link #packRight} fills for a {@code k x n} right operand, or -1 when
   * this implementation has no packed layout (then products take {@link #multiply}). This default
   * has none.
   */
  default int packedRightLength(int k, int n) {
    return -1;
  }

  /**
   * Copies {@code op(b[bOff..])} ({@code k x n}) into {@code packed[packedOff..]} (the
   * {@link #packedRightLength}{@code (k, n)} elements from there) in the layout this GEMM's kernel streams, for
   * a right operand that many products share (a weight read in every time step): each product then
   * reads it front to back instead of packing it again or reading it with a stride.
   *
   * @throws UnsupportedOperationException if {@link #packedRightLength} is -1
   */
  default void packRight(boolean transB, int k, int n, float[] b, int bOff, float[] packed, int packedOff) {
    throw new UnsupportedOperationException(name() + " GEMM: no packed layout for right operands");
  }

  /**
   * {@code c[cOff..] = op(a[aOff..]) B} for {@code B} ({@code k x n}) packed by {@link #packRight}:
   * the same bits as {@link #multiply} with the operand unpacked.
   *
   * @throws UnsupportedOperationException if {@link #packedRightLength} is -1
   */
  default void multiplyPackedRight(boolean transA, int m, int n, int k, float[] a, int aOff, float[] packedB, float[] c, int cOff) {
    throw new UnsupportedOperationException(name() + " GEMM: no packed layout for right operands");
  }

  /**
   * {@code count} one-row products {@code c[cOffs[i]..] = a[aOffs[i]..] B_i} ({@code a} a
   * {@code k}-vector, {@code c} an {@code n}-vector) with each {@code B_i} ({@code k x n}) packed by
   * {@link #packRight} at {@code packed[packedOffs[i]]}: a decoder step's attention, one query row per
   * example against that example's keys or values, which every step reads again. The same bits as
   * {@link #multiply} with the operands unpacked; the C vectors must not overlap.
   *
   * @throws UnsupportedOperationException if {@link #packedRightLength} is -1
   */
  default void multiplyRowsPackedRight(int n, int k, int count, float[] a, int[] aOffs, float[] packed, int[] packedOffs,
      float[] c, int[] cOffs) {
    throw new UnsupportedOperationException(name() + " GEMM: no packed layout for right operands");
  }

  /**
   * {@code c[cOff..] += op(a[aOff..]) op(b[bOff..])}, arguments as in {@link #multiply}. This
   * default computes the product into a scratch matrix and adds it; an implementation may instead
   * add the partial sums straight into C (rounding differs only when {@code k} spans several of its
   * depth slices).
   */
  default void multiplyAdd(boolean transA, boolean transB, int m, int n, int k,
      float[] a, int aOff, float[] b, int bOff, float[] c, int cOff) {
    float[] product = new float[m * n];
    multiply(transA, transB, m, n, k, a, aOff, b, bOff, product, 0);
    for (int i = 0; i < product.length; i++) {
      c[cOff + i] += product[i];
    }
  }

  /**
   * {@code c[cOff..] += sum_i a_i^T b_i}: the product {@code A^T B} of the concatenations of row
   * blocks {@code A = [a_0; a_1; ...]} ({@code a_i} stored {@code ks[i] x m} from
   * {@code as[i][aOffs[i]]}) and {@code B = [b_0; b_1; ...]} ({@code b_i} stored {@code ks[i] x n}
   * from {@code bs[i][bOffs[i]]}) - the gradient of a weight used in every time step, summed over
   * the steps in one product instead of one accumulation per step. This default adds the blocks'
   * products one after another ({@link #multiplyAdd}); an implementation may instead compute the
   * whole product at once, with the bits of {@link #multiplyAdd} on concatenated copies.
   */
  default void multiplyAddTransposedBlocks(int m, int n, int[] ks, float[][] as, int[] aOffs, float[][] bs, int[] bOffs,
      float[] c, int cOff) {
    for (int i = 0; i < ks.length; i++) {
      multiplyAdd(true, false, m, n, ks[i], as[i], aOffs[i], bs[i], bOffs[i], c, cOff);
    }
  }
}
