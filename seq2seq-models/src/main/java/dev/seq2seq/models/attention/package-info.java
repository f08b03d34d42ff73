/**
 * Attention functions, each a {@link dev.seq2seq.api.module.Module} implementing
 * {@link dev.seq2seq.api.nn.Attention}: {@code (query, keys, values, mask) -> (context, weights)}.
 *
 * <ul>
 *   <li>{@link dev.seq2seq.models.attention.BahdanauAttention}: additive,
 *       {@code v^T tanh(W q + U k + b)} (Bahdanau, Cho and Bengio 2015);
 *   <li>{@link dev.seq2seq.models.attention.LuongAttention}: multiplicative, with the dot, general
 *       and concat scores (Luong, Pham and Manning 2015);
 *   <li>{@link dev.seq2seq.models.attention.ScaledDotProductAttention}:
 *       {@code softmax(Q K^T / sqrt(d_k)) V} (Vaswani et al. 2017);
 *   <li>{@link dev.seq2seq.models.attention.MultiHeadAttention}: PyTorch's
 *       {@code nn.MultiheadAttention} with its parameter names and layout.
 * </ul>
 *
 * <p>Masks are 1 where a key may be attended and 0 where not; {@link dev.seq2seq.models.attention.Masks}
 * builds padding and causal masks and the masked softmax every attention here shares: masked keys
 * get exactly zero weight, and a query whose keys are all masked gets all-zero weights (hence a zero
 * context) instead of NaN.
 */
package dev.seq2seq.models.attention;
