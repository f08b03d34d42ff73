package dev.seq2seq.models.inject;

import dagger.Module;
import dagger.Provides;
import dagger.multibindings.IntoMap;
import dagger.multibindings.StringKey;
import dev.seq2seq.models.attention.BahdanauAttention;
import dev.seq2seq.models.attention.LuongAttention;

/**
 * The framework's RNN attentions by name: {@code bahdanau} (additive, units = query size),
 * {@code luong_dot}, {@code luong_general}, {@code luong_concat} (units = query size).
 */
@Module
public interface BuiltInAttention {
  /** Additive attention. */
  @Provides
  @IntoMap
  @StringKey("bahdanau")
  static AttentionType bahdanau() {
    return (backend, dtype, q, k, rng) -> new BahdanauAttention(backend, dtype, q, k, q, rng);
  }

  /** Dot-product scores; query and key sizes must be equal. */
  @Provides
  @IntoMap
  @StringKey("luong_dot")
  static AttentionType luongDot() {
    return (backend, dtype, q, k, rng) -> {
      if (q != k) {
        throw new IllegalArgumentException(String.format(
            "luong_dot: query size %d and key size %d differ (a bidirectional encoder doubles the key size); use luong_general", q, k));
      }
      return LuongAttention.dot(q);
    };
  }

  /** Bilinear scores {@code q^T W k}. */
  @Provides
  @IntoMap
  @StringKey("luong_general")
  static AttentionType luongGeneral() {
    return LuongAttention::general;
  }

  /** Concat scores {@code v^T tanh(W [q; k])}. */
  @Provides
  @IntoMap
  @StringKey("luong_concat")
  static AttentionType luongConcat() {
    return (backend, dtype, q, k, rng) -> LuongAttention.concat(backend, dtype, q, k, q, rng);
  }
}
