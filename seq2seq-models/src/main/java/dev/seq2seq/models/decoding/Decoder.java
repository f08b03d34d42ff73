package dev.seq2seq.models.decoding;

import dev.seq2seq.api.nn.Seq2Seq;
import dev.seq2seq.api.tensor.Tensor;
import java.util.List;

/**
 * A decoding algorithm. Implementations are immutable and thread-safe: concurrent calls, with the
 * same model or not, give the results each call would give alone.
 */
public interface Decoder {
  /** The settings this decoder was made with. */
  DecodingOptions options();

  /**
   * Decodes every source of the batch.
   *
   * @param model a model that is not being trained or changed meanwhile
   * @param source int32 {@code [batch, sourceLength]}
   * @param sourceMask {@code [batch, sourceLength]}, 1 on real tokens (as {@link Seq2Seq#encode} expects)
   * @return one result per source, in order
   * @throws IllegalArgumentException if the inputs or the options do not fit the model
   * @throws IllegalStateException if the model is in training mode or produces NaN
   */
  List<DecodingResult> decode(Seq2Seq model, Tensor source, Tensor sourceMask);
}
