package dev.seq2seq.models.attention;

import static com.google.common.base.Preconditions.checkArgument;

import dev.seq2seq.api.backend.Backend;
import dev.seq2seq.api.module.Module;
import dev.seq2seq.api.nn.Attention;
import dev.seq2seq.api.nn.AttentionResult;
import dev.seq2seq.api.nn.PreparedKeys;
import dev.seq2seq.api.random.Rng;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Tensor;
import dev.seq2seq.models.layers.Linear;

/**
 * Additive attention (Bahdanau, Cho and Bengio, "Neural Machine Translation by Jointly Learning to
 * Align and Translate", ICLR 2015):
 *
 * <pre>  score(q, k_s) = v^T tanh(W q + U k_s + b)
 *  weights = softmax_s(score)      context = sum_s weights_s values_s</pre>
 *
 * <p>In the paper {@code q} is the previous decoder state {@code s_{i-1}} and the keys (= values)
 * are the encoder annotations {@code h_j}; the paper's {@code e_ij = v_a^T tanh(W_a s_{i-1} + U_a
 * h_j)} has no bias, {@code b} is the common addition (one bias suffices: it would sum with a
 * second one).
 *
 * <p>Parameters, held by three {@link Linear} layers (PyTorch's {@code nn.Linear} layout,
 * {@code weight [out, in]}):
 *
 * <ul>
 *   <li>{@code query_proj.weight} {@code W [units, querySize]} (no bias)
 *   <li>{@code key_proj.weight} {@code U [units, keySize]} and {@code key_proj.bias} {@code b [units]}
 *   <li>{@code v.weight} {@code v [1, units]} (no bias)
 * </ul>
 *
 * <p>All start as PyTorch {@code nn.Linear}'s default, {@code U(-1/sqrt(in), 1/sqrt(in))}, drawn
 * from the given {@link Rng} in the order listed. Masking follows {@link Masks#softmax}.
 *
 * <p>{@link #prepareKeys} computes the key side {@code U k_s + b} once per memory; a decoder then
 * pays only {@code W q} and the scoring network per step.
 */
public final class BahdanauAttention extends Module implements Attention {
  private static final String NAME = "BahdanauAttention";

  private final int querySize;
  private final int keySize;
  private final int units;
  private final Linear queryProj;
  private final Linear keyProj;
  private final Linear v;

  /**
   * An attention scoring {@code querySize}-vectors against {@code keySize}-vectors through
   * {@code units} hidden units, initialised from {@code rng}.
   *
   * @throws IllegalArgumentException if a size is not positive
   */
  public BahdanauAttention(Backend backend, DType dtype, int querySize, int keySize, int units, Rng rng) {
    checkArgument(querySize > 0 && keySize > 0 && units > 0,
        "%s: sizes must be positive, got querySize=%s keySize=%s units=%s", NAME, querySize, keySize, units);
    this.querySize = querySize;
    this.keySize = keySize;
    this.units = units;
    this.queryProj = registerModule("query_proj", new Linear(backend, dtype, querySize, units, false, rng));
    this.keyProj = registerModule("key_proj", new Linear(backend, dtype, keySize, units, true, rng));
    this.v = registerModule("v", new Linear(backend, dtype, units, 1, false, rng));
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException if the query is not {@code [batch, queries, querySize]}, the
   *     keys not {@code [batch, keys, keySize]}, the values not {@code [batch, keys, valueSize]}, or
   *     the mask does not broadcast to {@code [batch, queries, keys]}
   */
  @Override
  public AttentionResult attend(Tensor query, Tensor keys, Tensor values, Tensor mask) {
    AttentionShapes.check(NAME, query, keys, values, mask, querySize, keySize, AttentionShapes.ANY);
    return attendProjected(query, keyProj.forward(keys), values, mask);
  }

  /**
   * Projects the keys once: the key side is {@code U k_s + b} {@code [batch, keys, units]}, the
   * {@code [batch * keys, keySize] x [keySize, units]} product that {@link #attend} would otherwise
   * compute at every decoder step.
   *
   * @throws IllegalArgumentException if the keys are not {@code [batch, keys, keySize]}
   */
  @Override
  public PreparedKeys prepareKeys(Tensor keys) {
    AttentionShapes.checkKeys(NAME, keys, keySize);
    return new PreparedKeys(this, keys, keyProj.forward(keys));
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException as {@link #attend}, or if keys prepared by this attention have
   *     a key side that is not {@code [batch, keys, units]}
   */
  @Override
  public AttentionResult attendPrepared(Tensor query, PreparedKeys keys, Tensor values, Tensor mask) {
    Tensor raw = AttentionShapes.raw(NAME, keys, this, units);
    AttentionShapes.check(NAME, query, raw, values, mask, querySize, keySize, AttentionShapes.ANY);
    return attendProjected(query, keys.arePreparedBy(this) ? keys.keySide() : keyProj.forward(raw), values, mask);
  }

  /** The scores and context from the projected keys {@code uk = U k + b} {@code [B, S, A]}. */
  private AttentionResult attendProjected(Tensor query, Tensor uk, Tensor values, Tensor mask) {
    Tensor wq = queryProj.forward(query);  // [B, Tq, A]
    // v^T tanh(W q + U k_s + b) for every key: one fused kernel where the backend has one
    Tensor scores = Tensor.additiveScores(wq, uk, v.weight().value().reshape(units));  // [B, Tq, S]
    Tensor weights = Masks.softmax(scores, mask);
    return new AttentionResult(weights.matmul(values), weights);
  }

  /** Size of a query vector. */
  public int querySize() {
    return querySize;
  }

  /** Size of a key vector. */
  public int keySize() {
    return keySize;
  }

  /** Hidden units of the scoring network. */
  public int units() {
    return units;
  }
}
