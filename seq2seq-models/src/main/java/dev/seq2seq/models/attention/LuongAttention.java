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
 * Multiplicative ("global") attention (Luong, Pham and Manning, "Effective Approaches to
 * Attention-based Neural Machine Translation", EMNLP 2015) with the paper's three scores:
 *
 * <pre>  DOT:      score(q, k_s) = q^T k_s                        (querySize == keySize)
 *  GENERAL:  score(q, k_s) = q^T W k_s                      W [querySize, keySize]
 *  CONCAT:   score(q, k_s) = v^T tanh(W [q; k_s])           W [units, querySize + keySize], v [1, units]
 *  weights = softmax_s(score)      context = sum_s weights_s values_s</pre>
 *
 * <p>In the paper {@code q} is the current decoder state {@code h_t} and the keys (= values) are the
 * encoder states {@code h̄_s}. The attentional state {@code h̃_t = tanh(W_c [c_t; h_t])} that the
 * paper builds from the context belongs to the decoder, not to this function.
 *
 * <p>Parameters (held by bias-free {@link Linear} layers, PyTorch's {@code nn.Linear} layout
 * {@code [out, in]}, no biases as in the paper): DOT has none; GENERAL has {@code key_proj.weight}
 * {@code W [querySize, keySize]} (the map {@code k -> W k}); CONCAT has {@code concat_proj.weight} {@code W [units, querySize +
 * keySize]} (query columns first) and {@code v.weight} {@code v [1, units]}. They start as PyTorch
 * {@code nn.Linear}'s default {@code U(-1/sqrt(in), 1/sqrt(in))}, drawn from the given {@link Rng}
 * in the order listed. Masking follows {@link Masks#softmax}.
 *
 * <p>{@link #prepareKeys} computes the key side of GENERAL ({@code W k_s}) and CONCAT
 * ({@code W_k k_s}) once per memory; see there for the cost of each side.
 */
public final class LuongAttention extends Module implements Attention {
  private static final String NAME = "LuongAttention";

  /** The score functions of Luong et al. (2015), section 3.1. */
  public enum Score {
    /** {@code q^T k}. */
    DOT,
    /** {@code q^T W k}. */
    GENERAL,
    /** {@code v^T tanh(W [q; k])}. */
    CONCAT
  }

  private final Score score;
  private final int querySize;
  private final int keySize;
  /** GENERAL only, else null. */
  private final Linear keyProj;
  /** CONCAT only, else null. */
  private final Linear concatProj;
  /** CONCAT only, else null. */
  private final Linear v;

  /** Registers the non-null layers in the order {@code key_proj}, {@code concat_proj}, {@code v}. */
  private LuongAttention(Score score, int querySize, int keySize, Linear keyProj, Linear concatProj, Linear v) {
    this.score = score;
    this.querySize = querySize;
    this.keySize = keySize;
    this.keyProj = keyProj == null ? null : registerModule("key_proj", keyProj);
    this.concatProj = concatProj == null ? null : registerModule("concat_proj", concatProj);
    this.v = v == null ? null : registerModule("v", v);
  }

  /** The parameter-free dot score for queries and keys of {@code size}. */
  public static LuongAttention dot(int size) {
    checkArgument(size > 0, "%s: size must be positive, got %s", NAME, size);
    return new LuongAttention(Score.DOT, size, size, null, null, null);
  }

  /** The general score {@code q^T W k}, {@code W} drawn from {@code rng}. */
  public static LuongAttention general(Backend backend, DType dtype, int querySize, int keySize, Rng rng) {
    checkArgument(querySize > 0 && keySize > 0, "%s: sizes must be positive, got querySize=%s keySize=%s", NAME, querySize, keySize);
    Linear keyProj = new Linear(backend, dtype, keySize, querySize, false, rng);
    return new LuongAttention(Score.GENERAL, querySize, keySize, keyProj, null, null);
  }

  /** The concat score {@code v^T tanh(W [q; k])} through {@code units} hidden units, drawn from {@code rng}. */
  public static LuongAttention concat(Backend backend, DType dtype, int querySize, int keySize, int units, Rng rng) {
    checkArgument(querySize > 0 && keySize > 0 && units > 0,
        "%s: sizes must be positive, got querySize=%s keySize=%s units=%s", NAME, querySize, keySize, units);
    Linear concatProj = new Linear(backend, dtype, querySize + keySize, units, false, rng);
    Linear v = new Linear(backend, dtype, units, 1, false, rng);
    return new LuongAttention(Score.CONCAT, querySize, keySize, null, concatProj, v);
  }

  /**
   * Any of the three by {@link Score}, e.g. from a configuration; {@code units} is used by CONCAT
   * only, and DOT requires {@code querySize == keySize}.
   *
   * @throws IllegalArgumentException if a size is not positive or DOT gets different sizes
   */
  public static LuongAttention create(Score score, Backend backend, DType dtype, int querySize, int keySize, int units, Rng rng) {
    switch (score) {
      case DOT:
        checkArgument(querySize == keySize, "%s: the DOT score needs querySize == keySize, got %s and %s", NAME, querySize, keySize);
        return dot(querySize);
      case GENERAL:
        return general(backend, dtype, querySize, keySize, rng);
      case CONCAT:
        return concat(backend, dtype, querySize, keySize, units, rng);
      default:
        throw new AssertionError(score);
    }
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
    AttentionShapes.check(who(), query, keys, values, mask, querySize, keySize, AttentionShapes.ANY);
    Tensor scores;
    switch (score) {
      case DOT:
        scores = query.matmul(keys, false, true);
        break;
      case GENERAL:
        // q^T W k computed as (q^T W) k: for one call the query side is the smaller one when queries < keys
        scores = query.matmul(keyProj.weight().value()).matmul(keys, false, true);
        break;
      case CONCAT:
        scores = concatScores(query, concatKeySide(keys));
        break;
      default:
        throw new AssertionError(score);
    }
    return weigh(scores, values, mask);
  }

  /**
   * Computes the key side of the score once per memory: GENERAL {@code W k_s} {@code [batch, keys,
   * querySize]}, CONCAT {@code W_k k_s} {@code [batch, keys, units]} (the key columns of {@code W});
   * DOT has none.
   *
   * <p>Cost for a decoder of {@code T} steps with one query each, batch {@code B}, {@code S} keys,
   * sizes {@code H} (query) and {@code K} (key), counting multiply-adds as 2 FLOPs:
   *
   * <ul>
   *   <li>CONCAT: {@link #attend} computes {@code W_k k} at every step, {@code T * 2BSKA}; prepared,
   *       once, {@code 2BSKA}. A clear saving ({@code T}-fold).
   *   <li>GENERAL: the query side {@code (q^T W) k} costs {@code 2BHK} per step, {@code T * 2BHK} in
   *       all; the key side {@code W k} costs {@code S * 2BHK} once; both then pay {@code 2BS * (K
   *       or H)} per step for the score products, and the backward doubles both alike. For the bench
   *       shapes (config b: B = 64, H = K = 256, S = T = 20) that is 167.8 MFLOP either way plus 13.1
   *       MFLOP of score products: a tie. The key side is taken because it is one {@code [B*S, K] x
   *       [K, H]} product instead of {@code T} products of {@code B} rows (and {@code 2T} in the
   *       backward), it wins whenever the output is longer than the source ({@code T > S}), and beam
   *       search prepares once at batch {@code B} but steps at batch {@code B * beam}: the query side
   *       would cost {@code beam} times more there.
   * </ul>
   *
   * @throws IllegalArgumentException if the keys are not {@code [batch, keys, keySize]}
   */
  @Override
  public PreparedKeys prepareKeys(Tensor keys) {
    AttentionShapes.checkKeys(who(), keys, keySize);
    switch (score) {
      case DOT:
        return PreparedKeys.unchanged(this, keys);
      case GENERAL:
        return new PreparedKeys(this, keys, keyProj.forward(keys));
      case CONCAT:
        return new PreparedKeys(this, keys, concatKeySide(keys));
      default:
        throw new AssertionError(score);
    }
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException as {@link #attend}, or if keys prepared by this attention have
   *     a key side of the wrong shape (GENERAL {@code [batch, keys, querySize]}, CONCAT {@code [batch,
   *     keys, units]}, DOT the keys themselves)
   */
  @Override
  public AttentionResult attendPrepared(Tensor query, PreparedKeys keys, Tensor values, Tensor mask) {
    int sideSize = score == Score.GENERAL ? querySize : score == Score.CONCAT ? concatProj.outFeatures() : keySize;
    Tensor raw = AttentionShapes.raw(who(), keys, this, sideSize);
    if (!keys.arePreparedBy(this)) {
      return attend(query, raw, values, mask);
    }
    AttentionShapes.check(who(), query, raw, values, mask, querySize, keySize, AttentionShapes.ANY);
    Tensor scores;
    switch (score) {
      case DOT:
        scores = query.matmul(raw, false, true);
        break;
      case GENERAL:
        scores = query.matmul(keys.keySide(), false, true);  // q^T (W k)
        break;
      case CONCAT:
        scores = concatScores(query, keys.keySide());
        break;
      default:
        throw new AssertionError(score);
    }
    return weigh(scores, values, mask);
  }

  /** CONCAT's key side {@code W_k k} {@code [B, S, A]}, {@code W_k} the key columns of {@code W}. */
  private Tensor concatKeySide(Tensor keys) {
    return keys.matmul(concatProj.weight().value().sliceAxis(1, querySize, keySize), false, true);
  }

  /** CONCAT's scores {@code v^T tanh(W_q q + W_k k)} {@code [B, Tq, S]} from the key side {@code wk = W_k k}. */
  private Tensor concatScores(Tensor query, Tensor wk) {
    // W [q; k] = W_q q + W_k k, with W_q and W_k the query and key columns of W
    Tensor wq = query.matmul(concatProj.weight().value().sliceAxis(1, 0, querySize), false, true);  // [B, Tq, A]
    Tensor energy = wq.unsqueeze(2).add(wk.unsqueeze(1)).tanh();  // [B, Tq, S, A]
    return v.forward(energy).squeeze(-1);  // [B, Tq, S]
  }

  private static AttentionResult weigh(Tensor scores, Tensor values, Tensor mask) {
    Tensor weights = Masks.softmax(scores, mask);
    return new AttentionResult(weights.matmul(values), weights);
  }

  private String who() {
    return NAME + " (" + score + ")";
  }

  /** The score function. */
  public Score score() {
    return score;
  }

  /** Size of a query vector. */
  public int querySize() {
    return querySize;
  }

  /** Size of a key vector. */
  public int keySize() {
    return keySize;
  }
}
