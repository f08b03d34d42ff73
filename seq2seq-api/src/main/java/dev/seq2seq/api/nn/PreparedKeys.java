package dev.seq2seq.api.nn;

import static com.google.common.base.Preconditions.checkArgument;

import dev.seq2seq.api.tensor.Tensor;

/**
 * Keys made ready for one {@link Attention} by its {@link Attention#prepareKeys}: the raw keys and
 * what that attention computes from the keys alone (for Bahdanau, {@code U k_s + b}), so that a
 * decoder attending to the same memory at every step computes the key side once per memory instead
 * of once per step.
 *
 * <p>The contract: {@code a.attendPrepared(q, a.prepareKeys(k), v, m)} gives what
 * {@code a.attend(q, k, v, m)} gives — the same context and weights, and the same gradients. Both
 * tensors are ordinary results in the autodiff graph, so gradients flow through {@link #keySide}
 * back to the attention's parameters and to the keys. They are owned like any other result (by the
 * {@code TensorScope} that was open when they were made): hold them no longer than the keys.
 *
 * <p>Both tensors are batch-first: row {@code b} of each belongs to row {@code b} of the keys, so
 * that {@link #select} reorders and replicates them together (beam search).
 *
 * @param preparedBy the attention that made them; any other attention uses {@link #raw} only
 * @param raw the keys {@code [batch, keys, keySize]}
 * @param keySide {@code [batch, ...]}: the key-side precomputation of {@code preparedBy}, or
 *     {@code raw} itself when it precomputes nothing ({@link #unchanged})
 */
public record PreparedKeys(Attention preparedBy, Tensor raw, Tensor keySide) {
  /**
   * Checks that all three are given and that the key side has the keys' batch size.
   *
   * @throws IllegalArgumentException naming the missing part or both shapes
   */
  public PreparedKeys {
    checkArgument(preparedBy != null && raw != null && keySide != null,
        "prepared keys: preparedBy, raw and keySide must not be null");
    checkArgument(raw.rank() >= 1 && keySide.rank() >= 1 && keySide.dim(0) == raw.dim(0),
        "prepared keys: the key side %s must have the batch size of the keys %s", keySide.shape(), raw.shape());
  }

  /** Keys for which {@code attention} precomputes nothing: the key side is {@code keys} itself. */
  public static PreparedKeys unchanged(Attention attention, Tensor keys) {
    return new PreparedKeys(attention, keys, keys);
  }

  /** Whether {@code attention} made these keys, i.e. whether it may use {@link #keySide}. */
  public boolean arePreparedBy(Attention attention) {
    return preparedBy == attention;
  }

  /** Whether the key side is the raw keys themselves (nothing was precomputed). */
  public boolean isUnchanged() {
    return keySide == raw;
  }

  /** Number of rows (the batch size of the keys). */
  public int batchSize() {
    return raw.dim(0);
  }

  /**
   * The prepared keys of the rows at {@code rows} (int32 {@code [n]}, each in {@code [0,
   * batchSize)}), in that order; rows may repeat. Gathers the raw keys and the key side alike (once
   * when they are the same tensor), so they stay consistent with a memory selected by the same rows.
   */
  public PreparedKeys select(Tensor rows) {
    Tensor selected = raw.gather(rows, 0);
    return new PreparedKeys(preparedBy, selected, isUnchanged() ? selected : keySide.gather(rows, 0));
  }
}
