package dev.seq2seq.api.backend;

/**
 * The optional backend capability of adding into a tensor in place: {@code target += addend}.
 *
 * <p>Autodiff ({@code dev.seq2seq.api.tensor.Gradients}) uses it to sum the gradient contributions
 * of a tensor that is used many times (a weight read in every time step) into one buffer it owns,
 * instead of allocating a new sum per contribution. On a backend without this interface it
 * computes {@code target.add(addend)}; both round each element once per addition, so they give the
 * same numbers.
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
}
