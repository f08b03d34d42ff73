package dev.seq2seq.models.decoding;

import static com.google.common.base.Preconditions.checkArgument;

import dev.seq2seq.api.backend.Backend;
import dev.seq2seq.api.nn.DecoderState;
import dev.seq2seq.api.nn.DecoderStep;
import dev.seq2seq.api.nn.Seq2Seq;
import dev.seq2seq.api.random.Rng;
import dev.seq2seq.api.tensor.GradMode;
import dev.seq2seq.api.tensor.Tensor;
import dev.seq2seq.api.tensor.TensorScope;
import dev.seq2seq.api.tensor.Tensors;
import dev.seq2seq.models.decoding.DecodingSupport.Node;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Ancestral sampling with a temperature and an optional top-k restriction, from an explicit seed.
 *
 * <p>Algorithm, for a batch of {@code B} sources decoded together: encode once; at step {@code t =
 * 1 .. maxLength}, for every live sequence with model log-probabilities {@code l = log_softmax(z)}
 * (of the logits {@code z}):
 *
 * <ol>
 *   <li>Candidates: all tokens, or with {@code topK = K > 0} the {@code K} largest {@code l} (lower
 *       token id first on ties, {@link Tensor#topK}).
 *   <li>Draw a token with probability {@code exp((l_i - max l) / T) / sum_j exp((l_j - max l) / T)}
 *       over the candidates, which is {@code softmax(z / T)} renormalised to them: one uniform
 *       {@code u} in {@code [0, 1)} from the input's generator, then the first candidate (in the
 *       order above: token id, or top-k rank) whose cumulative weight exceeds {@code u} times the
 *       total.
 *   <li>Add the model's own {@code l_y} (untempered) to the sequence's log-probability; {@code
 *       <eos>} finishes the sequence, step {@code maxLength} cuts it; finished sequences leave the
 *       batch.
 * </ol>
 *
 * <p>Randomness: input {@code i} of a call draws from its own generator {@code rng.fork(i)}, one
 * uniform per step, so its sample depends only on the generator's state, its position {@code i} in
 * the batch and its own source (not on when other inputs finish). {@link #decode(Seq2Seq, Tensor,
 * Tensor)} uses {@code new Rng(seed)} of the options, so it returns the same samples on every call;
 * {@link #decode(Seq2Seq, Tensor, Tensor, Rng)} advances the given generator by one draw, so
 * successive calls give fresh samples. {@code T -> 0} tends to greedy decoding and {@code topK = 1}
 * is greedy decoding. Each result has one {@link Hypothesis} with {@code score = logProb}. The
 * decoder is immutable and thread-safe (an {@link Rng} passed in is not: use one per thread).
 */
public final class SamplingDecoder implements Decoder {
  private static final String WHO = "sampling";

  private final DecodingOptions options;

  /**
   * A sampling decoder reading {@code sosId}, {@code eosId}, {@code maxLength}, {@code
   * temperature}, {@code topK} and {@code seed}.
   */
  public SamplingDecoder(DecodingOptions options) {
    checkArgument(options != null, "%s: options are required", WHO);
    this.options = options;
  }

  @Override
  public DecodingOptions options() {
    return options;
  }

  /** Samples with a generator seeded by {@link DecodingOptions#seed()}: the same samples on every call. */
  @Override
  public List<DecodingResult> decode(Seq2Seq model, Tensor source, Tensor sourceMask) {
    return decode(model, source, sourceMask, new Rng(options.seed()));
  }

  /**
   * Samples with input {@code i} drawing from {@code rng.fork(i)}; then advances {@code rng} by one
   * draw.
   */
  public List<DecodingResult> decode(Seq2Seq model, Tensor source, Tensor sourceMask, Rng rng) {
    int vocab = DecodingSupport.check(WHO, model, source, sourceMask, options);
    checkArgument(rng != null, "%s: rng is required", WHO);
    checkArgument(options.topK() <= vocab, "%s: top-k %s exceeds the target vocabulary size %s", WHO, options.topK(), vocab);
    Rng[] streams = new Rng[source.dim(0)];
    Arrays.setAll(streams, i -> rng.fork(i));
    rng.nextLong();
    try (GradMode.Scope ignored = GradMode.disabled()) {
      return run(model, source, sourceMask, streams, vocab);
    }
  }

  private List<DecodingResult> run(Seq2Seq model, Tensor source, Tensor sourceMask, Rng[] streams, int vocab) {
    Backend backend = source.backend();
    int batch = source.dim(0);
    int sourceLength = source.dim(1);
    int[][] columns = DecodingSupport.realColumns(sourceMask);
    int eos = options.eosId();
    int max = options.maxLength();
    double temperature = options.temperature();
    boolean restricted = options.topK() > 0 && options.topK() < vocab;
    int candidates = restricted ? options.topK() : vocab;

    Hypothesis[] done = new Hypothesis[batch];
    Node[] prefix = new Node[batch];
    double[] logProb = new double[batch];
    int[] live = new int[batch];
    Arrays.setAll(live, i -> i);
    int[] previous = new int[batch];
    Arrays.fill(previous, options.sosId());
    boolean hasAttention = false;
    double[] weights = new double[candidates];

    DecoderState state = model.encode(source, sourceMask);
    for (int t = 1; t <= max && live.length > 0; t++) {
      DecoderStep step = model.step(Tensors.of(backend, previous, live.length), state);
      double[] values;
      int[] ids = null; // null: candidate c is token c
      try (TensorScope scope = TensorScope.open()) {
        Tensor logProbs = step.logits().logSoftmax(-1);
        if (restricted) {
          Tensor[] top = logProbs.topK(candidates);
          values = top[0].toDoubleArray();
          ids = top[1].toIntArray();
        } else {
          values = logProbs.toDoubleArray();
        }
      }
      DecodingSupport.checkNoNaN(WHO, values, t);
      hasAttention = step.attention() != null;
      float[] attention = hasAttention ? step.attention().toFloatArray() : null;
      int width = hasAttention ? step.attention().dim(1) : 0;

      int[] keep = new int[live.length];
      int[] tokens = new int[live.length];
      int kept = 0;
      for (int r = 0; r < live.length; r++) {
        int b = live[r];
        int offset = r * candidates;
        double top = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < candidates; c++) {
          top = Math.max(top, values[offset + c]);
        }
        double total = 0;
        for (int c = 0; c < candidates; c++) {
          double v = values[offset + c];
          weights[c] = v == Double.NEGATIVE_INFINITY ? 0 : Math.exp((v - top) / temperature);
          total += weights[c];
        }
        double u = streams[b].nextDouble() * total;
        int chosen = -1;
        double cumulative = 0;
        for (int c = 0; c < candidates; c++) {
          if (weights[c] > 0) {
            chosen = c; // the last candidate with weight, should rounding leave u above the sum
            cumulative += weights[c];
            if (cumulative > u) {
              break;
            }
          }
        }
        if (chosen < 0) {
          throw new IllegalStateException(String.format(
              "%s: step %d of input %d has no token of positive probability", WHO, t, b));
        }
        int token = ids == null ? chosen : ids[offset + chosen];
        logProb[b] += values[offset + chosen];
        if (token == eos) {
          done[b] = DecodingSupport.hypothesis(prefix[b], logProb[b], logProb[b], true, hasAttention);
          continue;
        }
        float[] row = hasAttention ? DecodingSupport.attentionRow(attention, r, width, sourceLength, columns[b]) : null;
        prefix[b] = new Node(prefix[b], token, row);
        if (t == max) {
          done[b] = DecodingSupport.hypothesis(prefix[b], logProb[b], logProb[b], false, hasAttention);
        } else {
          tokens[kept] = token;
          keep[kept++] = r;
        }
      }
      if (kept == 0) {
        break;
      }
      int[] rows = Arrays.copyOf(keep, kept);
      state = kept == live.length ? step.state() : step.state().select(Tensors.of(backend, rows, kept));
      int[] nextLive = new int[kept];
      for (int i = 0; i < kept; i++) {
        nextLive[i] = live[rows[i]];
      }
      live = nextLive;
      previous = Arrays.copyOf(tokens, kept);
    }
    List<DecodingResult> results = new ArrayList<>(batch);
    for (Hypothesis h : done) {
      results.add(new DecodingResult(List.of(h)));
    }
    return results;
  }
}
