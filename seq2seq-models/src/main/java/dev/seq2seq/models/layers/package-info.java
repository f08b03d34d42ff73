/**
 * Basic trainable layers shared by every model: {@link dev.seq2seq.models.layers.Linear},
 * {@link dev.seq2seq.models.layers.Embedding}, {@link dev.seq2seq.models.layers.LayerNorm} and
 * {@link dev.seq2seq.models.layers.Dropout}.
 *
 * <p>Each is a {@link dev.seq2seq.api.module.Module} whose parameter names, shapes and default
 * initialisation follow PyTorch's {@code torch.nn} counterpart, so weights can be exchanged with
 * it. Random initial values and dropout masks are drawn from an explicit
 * {@link dev.seq2seq.api.random.Rng}, so a seed fixes them on every backend.
 */
package dev.seq2seq.models.layers;
