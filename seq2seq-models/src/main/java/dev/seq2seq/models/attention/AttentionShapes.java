package dev.seq2seq.models.attention;

import dev.seq2seq.api.nn.Attention;
import dev.seq2seq.api.nn.PreparedKeys;
import dev.seq2seq.api.tensor.Shape;
import dev.seq2seq.api.tensor.Tensor;

/** Argument checks shared by the attentions, with messages naming the expected and actual shapes. */
final class AttentionShapes {
  /** Any size is accepted. */
  static final int ANY = -1;

  private AttentionShapes() {}

  /**
   * Checks {@code query [B, Tq, querySize]}, {@code keys [B, S, keySize]}, {@code values [B, S,
   * valueSize]} (a size of {@link #ANY} accepts anything), one dtype and backend, and a mask
   * broadcastable to {@code [B, Tq, S]}.
   */
  static void check(String who, Tensor query, Tensor keys, Tensor values, Tensor mask,
      int querySize, int keySize, int valueSize) {
    if (query == null || keys == null || values == null) {
      throw new IllegalArgumentException(who + ": query, keys and values must not be null");
    }
    if (query.rank() != 3 || (querySize != ANY && query.dim(2) != querySize)) {
      throw bad(who, "query must be [batch, queries, %s], got %s", size(querySize), query.shape());
    }
    int batch = query.dim(0);
    if (keys.rank() != 3 || keys.dim(0) != batch || (keySize != ANY && keys.dim(2) != keySize)) {
      throw bad(who, "keys must be [%s, keys, %s] (batch of the query %s), got %s",
          batch, size(keySize), query.shape(), keys.shape());
    }
    int steps = keys.dim(1);
    if (values.rank() != 3 || values.dim(0) != batch || values.dim(1) != steps
        || (valueSize != ANY && values.dim(2) != valueSize)) {
      throw bad(who, "values must be [%s, %s, %s] (batch and keys of the keys %s), got %s",
          batch, steps, size(valueSize), keys.shape(), values.shape());
    }
    if (keys.dtype() != query.dtype() || values.dtype() != query.dtype()) {
      throw bad(who, "query, keys and values must share a dtype, got %s, %s and %s",
          query.dtype().label(), keys.dtype().label(), values.dtype().label());
    }
    if (keys.backend() != query.backend() || values.backend() != query.backend()) {
      throw bad(who, "query, keys and values must share a backend, got %s, %s and %s",
          query.backend().name(), keys.backend().name(), values.backend().name());
    }
    if (mask != null) {
      Shape scores = Shape.of(batch, query.dim(1), steps);
      boolean ok = mask.rank() <= 3;
      if (ok) {
        try {
          ok = Shape.broadcast(who, mask.shape(), scores).equals(scores);
        } catch (IllegalArgumentException e) {
          ok = false;
        }
      }
      if (!ok) {
        throw bad(who, "mask %s does not broadcast to [batch, queries, keys] = %s", mask.shape(), scores);
      }
      if (mask.backend() != query.backend()) {
        throw bad(who, "mask is on backend '%s', the query on '%s'", mask.backend().name(), query.backend().name());
      }
    }
  }

  /** Checks {@code keys [B, S, keySize]} for {@code prepareKeys}. */
  static void checkKeys(String who, Tensor keys, int keySize) {
    if (keys == null) {
      throw new IllegalArgumentException(who + ": keys must not be null");
    }
    if (keys.rank() != 3 || (keySize != ANY && keys.dim(2) != keySize)) {
      throw bad(who, "keys must be [batch, keys, %s], got %s", size(keySize), keys.shape());
    }
  }

  /**
   * The raw keys of {@code prepared}, after checking it is not null and, when {@code attention}
   * made it, that its key side is {@code [B, S, keySideSize]} for raw keys {@code [B, S, *]}.
   */
  static Tensor raw(String who, PreparedKeys prepared, Attention attention, int keySideSize) {
    if (prepared == null) {
      throw new IllegalArgumentException(who + ": prepared keys must not be null");
    }
    Tensor raw = prepared.raw();
    Tensor side = prepared.keySide();
    if (prepared.arePreparedBy(attention) && raw.rank() == 3
        && (side.rank() != 3 || side.dim(1) != raw.dim(1) || side.dim(2) != keySideSize)) {
      throw bad(who, "the key side of prepared keys %s must be [%s, %s, %s], got %s",
          raw.shape(), raw.dim(0), raw.dim(1), keySideSize, side.shape());
    }
    return raw;
  }

  /** The mask as rank 3 (leading 1s added), or {@code null}. */
  static Tensor rank3(Tensor mask) {
    if (mask == null || mask.rank() == 3) {
      return mask;
    }
    int[] dims = {1, 1, 1};
    int[] m = mask.shape().toArray();
    System.arraycopy(m, 0, dims, 3 - m.length, m.length);
    return mask.reshape(dims);
  }

  private static String size(int n) {
    return n == ANY ? "size" : Integer.toString(n);
  }

  private static IllegalArgumentException bad(String who, String template, Object... args) {
    return new IllegalArgumentException(who + ": " + String.format(template, args));
  }
}
