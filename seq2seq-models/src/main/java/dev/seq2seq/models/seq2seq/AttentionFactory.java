package dev.seq2seq.models.seq2seq;

import dev.seq2seq.api.nn.Attention;
import dev.seq2seq.api.random.Rng;

/**
 * Makes the attention of an RNN decoder: queries of {@code querySize} (the decoder's hidden size)
 * against keys of {@code keySize} (the encoder's output size). The attention must also be a
 * {@link dev.seq2seq.api.module.Module} when it has parameters, so they are registered with the model.
 */
@FunctionalInterface
public interface AttentionFactory {
  /** A new attention with initial weights drawn from {@code rng}. */
  Attention create(int querySize, int keySize, Rng rng);
}
