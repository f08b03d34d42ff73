package dev.seq2seq.models.inject;

import dev.seq2seq.api.backend.Backend;
import dev.seq2seq.api.random.Rng;
import dev.seq2seq.models.seq2seq.AttentionStyle;
import dev.seq2seq.models.seq2seq.RnnSeq2Seq;
import java.util.Map;
import java.util.TreeSet;
import javax.inject.Inject;

/**
 * Builds {@link RnnSeq2Seq} models from an {@link RnnModelConfig}, resolving cell and attention
 * names through the registries the component was assembled with. An unknown name fails with the
 * list of registered ones.
 */
public final class RnnSeq2SeqFactory {
  private final Backend backend;
  private final Map<String, CellType> cells;
  private final Map<String, AttentionType> attentions;

  @Inject
  RnnSeq2SeqFactory(Backend backend, Map<String, CellType> cells, Map<String, AttentionType> attentions) {
    this.backend = backend;
    this.cells = cells;
    this.attentions = attentions;
  }

  /** A new model with weights drawn from {@code config.seed()}. */
  public RnnSeq2Seq create(RnnModelConfig config) {
    CellType cell = cells.get(config.cell());
    if (cell == null) {
      throw new IllegalArgumentException(String.format(
          "unknown cell '%s': registered cells are %s", config.cell(), new TreeSet<>(cells.keySet())));
    }
    RnnSeq2Seq.Builder b = RnnSeq2Seq.builder()
        .setBackend(backend).optDType(config.dtype())
        .setVocabularies(config.sourceVocab(), config.targetVocab())
        .setCell(cell.on(backend, config.dtype()))
        .setEmbeddingSize(config.embeddingSize()).setHiddenSize(config.hiddenSize())
        .optNumLayers(config.layers()).optBidirectionalEncoder(config.bidirectionalEncoder())
        .optDropout(config.dropout()).setRng(new Rng(config.seed()));
    if (config.attentionStyle() != AttentionStyle.NONE) {
      AttentionType attention = attentions.get(config.attention());
      if (attention == null) {
        throw new IllegalArgumentException(String.format(
            "unknown attention '%s': registered attentions are %s", config.attention(), new TreeSet<>(attentions.keySet())));
      }
      b.optAttention(config.attentionStyle(), attention.on(backend, config.dtype()));
    }
    return b.build();
  }

  /** The registered cell names. */
  public TreeSet<String> cellNames() {
    return new TreeSet<>(cells.keySet());
  }

  /** The backend models are built on. */
  public Backend backend() {
    return backend;
  }
}
