/**
 * Differentiable tensors: {@link dev.seq2seq.api.tensor.Tensor} and its primitive operations,
 * each with a backward rule written in the same primitives; {@link dev.seq2seq.api.tensor.Gradients}
 * runs reverse-mode autodiff over what was recorded; {@link dev.seq2seq.api.tensor.GradMode} turns
 * recording off; {@link dev.seq2seq.api.tensor.Tensors} makes constants and seeded random tensors.
 *
 * <p>Tensors and autodiff share this package on purpose: the graph node a primitive records is an
 * implementation detail that only the backward pass may see.
 */
package dev.seq2seq.api.tensor;
