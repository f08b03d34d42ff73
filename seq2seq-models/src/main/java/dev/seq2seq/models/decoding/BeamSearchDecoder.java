package dev.seq2seq.models.decoding;

import static com.google.common.base.Preconditions.checkArgument;

import dev.seq2seq.api.backend.Backend;
import dev.seq2seq.api.nn.DecoderState;
import dev.seq2seq.api.nn.DecoderStep;
import dev.seq2seq.api.nn.Seq2Seq;
import dev.seq2seq.api.tensor.GradMode;
import dev.seq2seq.api.tensor.Tensor;
import dev.seq2seq.api.tensor.TensorScope;
import dev.seq2seq.api.tensor.Tensors;
import dev.seq2seq.models.decoding.DecodingSupport.Node;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Beam search with the GNMT length penalty (Wu et al., "Google's Neural Machine Translation
 * System", 2016), batched over inputs, returning the n-best list of each input.
 *
 * <h2>Scores</h2>
 *
 * A hypothesis {@code Y} of {@code |Y|} steps (its {@code <eos>} step included, see {@link
 * Hypothesis#length()}) has {@code logP(Y)}, the sum of its steps' {@code log_softmax}, and is
 * ranked, once complete, by {@code score(Y) = logP(Y) / lp(|Y|)} with
 *
 * <pre>  lp(n) = (5 + n)^alpha / (5 + 1)^alpha   ({@link #lengthPenalty}; alpha = 0 gives lp = 1)</pre>
 *
 * <p>Live (incomplete) hypotheses are ranked by {@code logP} alone.
 *
 * <h2>Algorithm</h2>
 *
 * For each input: a beam of live hypotheses (initially the empty one), a pool of at most {@code k}
 * finished hypotheses (the best by score; ties keep the one found first). All live hypotheses of
 * all unfinished inputs are one batch of the model ({@link DecoderState#select} gathers and
 * replicates their states). At step {@code t = 1 .. maxLength}:
 *
 * <ol>
 *   <li>Step the model on every live hypothesis; per hypothesis take the {@code k + 1} most likely
 *       next tokens (enough: see below).
 *   <li>Per input, sort the candidates {@code (hypothesis h, token y)} by {@code logP(h) + log
 *       p(y | h)} descending; ties by the rank of {@code h} in the beam, then by token id. Walk down
 *       the list: a candidate with {@code y = <eos>} is complete and offered to the pool ({@code
 *       |Y| = t}); any other becomes a live hypothesis of the next beam; stop once {@code k} live
 *       ones are collected (fewer only if the candidates run out). So {@code <eos>} ends a
 *       hypothesis on its own while the beam continues with {@code k} others. Each hypothesis
 *       contributes at most one {@code <eos>} and fewer than {@code k} live candidates before the
 *       walk stops, so its top {@code k + 1} tokens contain every candidate the walk can reach.
 *   <li>At {@code t = maxLength} the new live hypotheses are complete too: they are offered to the
 *       pool cut ({@code |Y| = maxLength}, {@link Hypothesis#finished()} false) and the input is
 *       done.
 *   <li>Otherwise the input is done when it has no live hypothesis, or when <b>the pool holds
 *       {@code k} hypotheses and {@code L / lp(maxLength) <= worst}</b>, where {@code L} is the
 *       largest {@code logP} of a live hypothesis and {@code worst} the lowest score in the pool.
 * </ol>
 *
 * <p>The stopping rule is exact, not a heuristic: any completion {@code Y} of a live hypothesis
 * {@code h} has {@code logP(Y) <= logP(h) <= L <= 0} (log-probabilities are {@code <= 0}) and
 * {@code |Y| <= maxLength}; {@code lp} is non-decreasing for {@code alpha >= 0}, so {@code score(Y)
 * = logP(Y) / lp(|Y|) <= L / lp(|Y|) <= L / lp(maxLength)}. When that bound is at most the worst
 * score of a full pool, no later hypothesis can enter the pool (entering needs a strictly better
 * score), so stopping returns exactly what running on to {@code maxLength} would. With {@code alpha
 * = 0} the rule is the classic "best live {@code logP} <= worst finished score".
 *
 * <p>The result of an input is its pool, best first, cut to {@link DecodingOptions#nBest()}. All
 * choices are deterministic (fixed tie-breaks, no randomness), so the same inputs give the same
 * output; an input's result does not depend on the other inputs of its batch. With {@code k = 1}
 * and {@code alpha = 0} this is exactly {@link GreedyDecoder}. Immutable and thread-safe (see the
 * package documentation).
 */
public final class BeamSearchDecoder implements Decoder {
  private static final String WHO = "beam search";

  private final DecodingOptions options;

  /**
   * A beam search decoder reading {@code sosId}, {@code eosId}, {@code maxLength}, {@code
   * beamSize}, {@code lengthPenaltyAlpha} and {@code nBest}.
   */
  public BeamSearchDecoder(DecodingOptions options) {
    checkArgument(options != null, "%s: options are required", WHO);
    this.options = options;
  }

  @Override
  public DecodingOptions options() {
    return options;
  }

  /** The GNMT length penalty {@code lp(n) = (5 + n)^alpha / (5 + 1)^alpha}. */
  public static double lengthPenalty(int length, double alpha) {
    return alpha == 0 ? 1.0 : Math.pow(5.0 + length, alpha) / Math.pow(6.0, alpha);
  }

  @Override
  public List<DecodingResult> decode(Seq2Seq model, Tensor source, Tensor sourceMask) {
    DecodingSupport.check(WHO, model, source, sourceMask, options);
    try (GradMode.Scope ignored = GradMode.disabled()) {
      return run(model, source, sourceMask);
    }
  }

  /** A live hypothesis: its prefix, log-probability and row in the current decoder state. */
  private record Live(Node prefix, double logProb, int row) {}

  /** An expansion of a live hypothesis by one token. */
  private record Candidate(double logProb, int rank, int token, int row) {}

  /** The best {@code capacity} complete hypotheses of one input, best first. */
  private static final class Pool {
    private final int capacity;
    private final List<Hypothesis> best = new ArrayList<>();

    Pool(int capacity) {
      this.capacity = capacity;
    }

    boolean full() {
      return best.size() == capacity;
    }

    double worst() {
      return best.get(best.size() - 1).score();
    }

    /** Inserts {@code h} after every hypothesis scoring at least as well; drops the worst beyond capacity. */
    void offer(Hypothesis h) {
      if (full() && !(h.score() > worst())) {
        return;
      }
      int i = best.size();
      while (i > 0 && best.get(i - 1).score() < h.score()) {
        i--;
      }
      best.add(i, h);
      if (best.size() > capacity) {
        best.remove(best.size() - 1);
      }
    }
  }

  private List<DecodingResult> run(Seq2Seq model, Tensor source, Tensor sourceMask) {
    Backend backend = source.backend();
    int batch = source.dim(0);
    int sourceLength = source.dim(1);
    int vocab = model.targetVocabSize();
    int[][] columns = DecodingSupport.realColumns(sourceMask);
    int k = options.beamSize();
    int eos = options.eosId();
    int max = options.maxLength();
    double alpha = options.lengthPenaltyAlpha();
    double maxPenalty = lengthPenalty(max, alpha);
    int perRow = Math.min(k + 1, vocab);

    Pool[] pools = new Pool[batch];
    List<List<Live>> beams = new ArrayList<>(batch); // null once the input is done
    for (int b = 0; b < batch; b++) {
      pools[b] = new Pool(k);
      beams.add(List.of(new Live(null, 0.0, b)));
    }
    int[] previous = new int[batch];
    Arrays.fill(previous, options.sosId());
    boolean hasAttention = false;

    DecoderState state = model.encode(source, sourceMask);
    for (int t = 1; t <= max; t++) {
      DecoderStep step = model.step(Tensors.of(backend, previous, previous.length), state);
      double[] values;
      int[] ids;
      try (TensorScope scope = TensorScope.open()) {
        Tensor[] top = step.logits().logSoftmax(-1).topK(perRow);
        values = top[0].toDoubleArray();
        ids = top[1].toIntArray();
      }
      DecodingSupport.checkNoNaN(WHO, values, t);
      hasAttention = step.attention() != null;
      float[] attention = hasAttention ? step.attention().toFloatArray() : null;
      int width = hasAttention ? step.attention().dim(1) : 0;

      List<Integer> nextRows = new ArrayList<>();
      List<Integer> nextTokens = new ArrayList<>();
      for (int b = 0; b < batch; b++) {
        List<Live> beam = beams.get(b);
        if (beam == null) {
          continue;
        }
        List<Candidate> candidates = new ArrayList<>(beam.size() * perRow);
        for (int rank = 0; rank < beam.size(); rank++) {
          Live h = beam.get(rank);
          for (int c = 0; c < perRow; c++) {
            int i = h.row() * perRow + c;
            candidates.add(new Candidate(h.logProb() + values[i], rank, ids[i], h.row()));
          }
        }
        candidates.sort((x, y) -> {
          int byScore = Double.compare(y.logProb(), x.logProb());
          if (byScore != 0) {
            return byScore;
          }
          return x.rank() != y.rank() ? Integer.compare(x.rank(), y.rank()) : Integer.compare(x.token(), y.token());
        });

        List<Live> next = new ArrayList<>(k);
        for (Candidate c : candidates) {
          if (next.size() == k) {
            break;
          }
          Node parent = beam.get(c.rank()).prefix();
          if (c.token() == eos) {
            pools[b].offer(DecodingSupport.hypothesis(parent, c.logProb(), c.logProb() / lengthPenalty(t, alpha), true, hasAttention));
          } else {
            float[] row = hasAttention ? DecodingSupport.attentionRow(attention, c.row(), width, sourceLength, columns[b]) : null;
            next.add(new Live(new Node(parent, c.token(), row), c.logProb(), c.row()));
          }
        }

        boolean finished;
        if (t == max) {
          for (Live h : next) {
            pools[b].offer(DecodingSupport.hypothesis(h.prefix(), h.logProb(), h.logProb() / maxPenalty, false, hasAttention));
          }
          finished = true;
        } else {
          // next is sorted by logProb descending, so next.get(0) holds the largest live logP.
          finished = next.isEmpty() || (pools[b].full() && next.get(0).logProb() / maxPenalty <= pools[b].worst());
        }
        if (finished) {
          beams.set(b, null);
          continue;
        }
        List<Live> renumbered = new ArrayList<>(next.size());
        for (Live h : next) {
          renumbered.add(new Live(h.prefix(), h.logProb(), nextRows.size()));
          nextRows.add(h.row());
          nextTokens.add(h.prefix().token);
        }
        beams.set(b, renumbered);
      }
      if (nextRows.isEmpty()) {
        break;
      }
      int[] rows = nextRows.stream().mapToInt(Integer::intValue).toArray();
      state = step.state().select(Tensors.of(backend, rows, rows.length));
      previous = nextTokens.stream().mapToInt(Integer::intValue).toArray();
    }

    List<DecodingResult> results = new ArrayList<>(batch);
    for (Pool pool : pools) {
      results.add(new DecodingResult(pool.best.subList(0, Math.min(options.nBest(), pool.best.size()))));
    }
    return results;
  }
}
