/**
 * The Transformer encoder-decoder (Vaswani et al., "Attention Is All You Need", NeurIPS 2017).
 *
 * <ul>
 *   <li>{@link dev.seq2seq.models.transformer.PositionalEncoding}: the paper's sinusoids, added to
 *       token embeddings scaled by {@code sqrt(d_model)}.
 *   <li>{@link dev.seq2seq.models.transformer.TransformerEncoderLayer} and
 *       {@link dev.seq2seq.models.transformer.TransformerDecoderLayer}: PyTorch's
 *       {@code nn.TransformerEncoderLayer} / {@code nn.TransformerDecoderLayer} ({@code batch_first=True},
 *       ReLU) with the same parameter names, post-LN (the paper and PyTorch's default) or pre-LN.
 *   <li>{@link dev.seq2seq.models.transformer.TransformerSeq2Seq}: embeddings, encoder and decoder
 *       stacks with final layer norms (as {@code nn.Transformer}), and the output projection, as a
 *       {@link dev.seq2seq.api.nn.Seq2Seq}.
 * </ul>
 *
 * <p>Masks follow the project's convention (1 = may attend, 0 = masked), the complement of
 * PyTorch's boolean masks; see {@link dev.seq2seq.models.attention.Masks}.
 */
package dev.seq2seq.models.transformer;
