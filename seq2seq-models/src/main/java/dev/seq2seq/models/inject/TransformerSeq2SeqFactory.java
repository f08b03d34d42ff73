package dev.seq2seq.models.inject;

import dev.seq2seq.api.backend.Backend;
import dev.seq2seq.api.random.Rng;
import dev.seq2seq.models.transformer.TransformerSeq2Seq;
import javax.inject.Inject;

/** Builds {@link TransformerSeq2Seq} models from a {@link TransformerModelConfig} on the component's backend. */
public final class TransformerSeq2SeqFactory {
  private final Backend backend;

  @Inject
  TransformerSeq2SeqFactory(Backend backend) {
    this.backend = backend;
  }

  /** A new model with weights drawn from {@code config.seed()}. */
  public TransformerSeq2Seq create(TransformerModelConfig c) {
    return TransformerSeq2Seq.builder().setBackend(backend).optDType(c.dtype())
        .setVocabularies(c.sourceVocab(), c.targetVocab()).setModelSize(c.modelSize()).setHeads(c.heads())
        .optNumLayers(c.encoderLayers(), c.decoderLayers()).optFeedForwardSize(c.feedForwardSize())
        .optDropout(c.dropout()).optNormFirst(c.normFirst()).optMaxLength(c.maxLength())
        .setRng(new Rng(c.seed())).build();
  }
}
