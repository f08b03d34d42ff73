/**
 * Contracts of model parts that users implement and the models module composes:
 * {@link dev.seq2seq.api.nn.Cell} (one recurrent time step) and
 * {@link dev.seq2seq.api.nn.Attention} ({@code (query, keys, values, mask) -> (context, weights)}).
 */
package dev.seq2seq.api.nn;
