package dev.seq2seq.models.inject;

import dev.seq2seq.api.backend.Backend;
import dev.seq2seq.api.nn.Attention;
import dev.seq2seq.api.random.Rng;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.models.seq2seq.AttentionFactory;

/**
 * A kind of attention for RNN decoders, registered by name in a Dagger map multibinding: queries
 * of {@code querySize} against keys of {@code keySize}.
 */
@FunctionalInterface
public interface AttentionType {
  /** A new attention on {@code backend}, weights drawn from {@code rng}. */
  Attention create(Backend backend, DType dtype, int querySize, int keySize, Rng rng);

  /** This attention kind with backend and dtype fixed, as {@link dev.seq2seq.models.seq2seq.RnnSeq2Seq} takes it. */
  default AttentionFactory on(Backend backend, DType dtype) {
    return (q, k, rng) -> create(backend, dtype, q, k, rng);
  }
}
