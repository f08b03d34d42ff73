package dev.seq2seq.models.inject;

import static com.google.common.base.Preconditions.checkArgument;

import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.models.seq2seq.AttentionStyle;

/**
 * What an {@link RnnSeq2SeqFactory} builds: cell and attention by registered name, sizes, seed.
 *
 * @param cell a key of the {@link CellType} map, e.g. {@code gru}
 * @param attentionStyle how the decoder uses attention
 * @param attention a key of the {@link AttentionType} map, or null with {@link AttentionStyle#NONE}
 * @param seed the seed of initial weights and dropout masks
 */
public record RnnModelConfig(
    String cell,
    AttentionStyle attentionStyle,
    String attention,
    int sourceVocab,
    int targetVocab,
    int embeddingSize,
    int hiddenSize,
    int layers,
    boolean bidirectionalEncoder,
    double dropout,
    DType dtype,
    long seed) {
  /** Checks the names are present. */
  public RnnModelConfig {
    checkArgument(cell != null && !cell.isBlank(), "model config: cell name is required");
    checkArgument(attentionStyle != null, "model config: attention style is required (NONE for none)");
    checkArgument(attentionStyle == AttentionStyle.NONE || (attention != null && !attention.isBlank()),
        "model config: attention style %s needs an attention name", attentionStyle);
    checkArgument(dtype != null, "model config: dtype is required");
  }
}
