package dev.seq2seq.api.backend;

import java.util.List;

/**
 * The optional backend capability of adding into a tensor in place: {@code target += addend}.
 *
 * <p>Autodiff ({@code dev.seq2seq.api.tensor.Gradients}) uses it to sum the gradient contributions
 * of a tensor that is used many times (a weight read in every time step) into one buffer it owns,
 * instead of allocating a new sum per contribution. On a backend without this interface it
 * computes {@code target.add(addend)}; both round each element once per addition, so they give the
 * same numbers. Likewise the gradient of a slice ({@code x[box]}) is added into the box of
 * {@code x}'s sum ({@link #addToBoxInPlace}) instead of being padded to {@code x}'s shape and added,
 * which gives the same numbers up to the sign of zeros outside the box. And the gradient of a
 * matrix used as the right operand of many products (a weight in every time step) is accumulated by
 * {@link #addMatmulInPlace} without allocating each product, and the gradient of a table read by
 * many gathers (an embedding at every time step) is scattered into one sum by
 * {@link #scatterAddInPlace} instead of into a zero-filled table per gather.
 */
public interface InPlaceAccumulator {
  /**
   * Adds {@code addend} to {@code target} elementwise, modifying {@code target}.
   *
   * <p>Both tensors belong to this backend and have one shape and one floating dtype. The caller
   * guarantees that {@code target} was returned by a kernel of this backend and that nothing else
   * reads it (no other tensor, view or reshape shares its storage).
   */
  void addInPlace(RawTensor target, RawTensor addend);

  /**
   * Adds {@code addend} into the box of {@code target} that starts at {@code begin} and has
   * {@code addend}'s shape ({@code target[begin[i] : begin[i] + addend.dim(i)] += addend}), modifying
   * {@code target}; the rest of {@code target} is unchanged.
   *
   * <p>Both tensors belong to this backend, have one rank and one floating dtype, and the box lies
   * inside {@code target}; the same ownership guarantee as {@link #addInPlace} holds.
   */
  void addToBoxInPlace(RawTensor target, RawTensor addend, int[] begin);

  /**
   * Scatters {@code updates} into {@code target} along {@code axis} in place:
   * {@code target[..., indices[j...], ...] += updates[..., j..., ...]} for every index position (a
   * repeated index adds every time), modifying only the addressed slices of {@code target}. The
   * shapes are those of {@code scatterAdd(indices, updates, axis, target.shape())}.
   *
   * <p>{@code target} and {@code updates} belong to this backend and share one floating dtype,
   * {@code indices} is int32 with every index in {@code [0, target.dim(axis))}; the same ownership
   * guarantee as {@link #addInPlace} holds for {@code target}. Each update is added into
   * {@code target} in the element type, one index position after another, so the result may differ
   * from {@code target + scatterAdd(...)} by the rounding of repeated indices (within elementwise
   * tolerance of a sum).
   */
  void scatterAddInPlace(RawTensor target, RawTensor indices, RawTensor updates, int axis);

  /**
   * {@code target += op(a) @ op(b)} for matrices ({@code op} transposes when its flag is set),
   * modifying {@code target}; {@code target} is {@code [M, N]}, {@code op(a)} is {@code [M, K]} and
   * {@code op(b)} is {@code [K, N]}.
   *
   * <p>The three tensors belong to this backend, are rank 2 and share one floating dtype; the same
   * ownership guarantee as {@link #addInPlace} holds for {@code target}. The result may differ from
   * {@code target + (op(a) @ op(b))} by the rounding of a float32 product's partial sums (within
   * matmul tolerance).
   */
  void addMatmulInPlace(RawTensor target, RawTensor a, RawTensor b, boolean transposeA, boolean transposeB);

  /**
   * {@code target += sum_i lefts[i]^T @ rights[i]}, modifying {@code target}: the product of the
   * concatenations {@code [l_0; l_1; ...]^T [r_0; r_1; ...]}, with {@code lefts[i]} {@code [k_i, M]},
   * {@code rights[i]} {@code [k_i, N]} and {@code target} {@code [M, N]}. Autodiff collects the
   * gradient of a weight read in every time step ({@code x_t @ W^T}: {@code dW += g_t^T x_t}) and
   * adds it in one call, so a backend can compute one product over all steps rather than one
   * accumulation into {@code target} per step.
   *
   * <p>The tensors belong to this backend, are rank 2 and share one floating dtype; the same
   * ownership guarantee as {@link #addInPlace} holds for {@code target}. This default adds the
   * products one by one with {@link #addMatmulInPlace}; results may differ from it by the rounding
   * of a float32 product's partial sums (within matmul tolerance).
   */
  default void addTransposedProductsInPlace(RawTensor target, List<RawTensor> lefts, List<RawTensor> rights) {
    if (lefts.size() != rights.size()) {
      throw new IllegalArgumentException(
          "transposed products: " + lefts.size() + " left and " + rights.size() + " right operands (expected as many)");
    }
    for (int i = 0; i < lefts.size(); i++) {
      addMatmulInPlace(target, lefts.get(i), rights.get(i), true, false);
    }
  }
}
