package dev.seq2seq.models.inject;

import static com.google.common.base.Preconditions.checkArgument;

import dev.seq2seq.api.tensor.DType;

/**
 * What a {@link TransformerSeq2SeqFactory} builds.
 *
 * @param modelSize {@code d_model}
 * @param heads attention heads (must divide {@code modelSize})
 * @param encoderLayers encoder layers
 * @param decoderLayers decoder layers
 * @param feedForwardSize the position-wise FFN's inner size
 * @param normFirst pre-LN when true, post-LN (PyTorch's default) when false
 * @param maxLength the longest source or target sequence
 * @param seed the seed of initial weights and dropout masks
 */
public record TransformerModelConfig(
    int sourceVocab,
    int targetVocab,
    int modelSize,
    int heads,
    int encoderLayers,
    int decoderLayers,
    int feedForwardSize,
    double dropout,
    boolean normFirst,
    int maxLength,
    DType dtype,
    long seed) {
  /** Checks what the builder cannot. */
  public TransformerModelConfig {
    checkArgument(dtype != null, "model config: dtype is required");
    checkArgument(heads > 0 && modelSize % heads == 0, "model config: %s heads do not divide d_model %s", heads, modelSize);
  }
}
