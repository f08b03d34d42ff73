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
 * Greedy decoding: at every step each sequence takes the most likely next token.
 *
 * <p>Algorithm, for a batch of {@code B} sources decoded together:
 *
 * <ol>
 *   <li>Encode the batch once; every sequence starts live with {@code <sos>} and log-probability 0.
 *   <li>For step {@code t = 1 .. maxLength}: step the model on the live rows, take {@code
 *       log_softmax} of the logits and its maximum per row (the lowest token id on ties, as {@link
 *       Tensor#topK} and {@link Tensor#argmax} do), add it to the row's log-probability.
 *   <li>A row whose token is {@code <eos>} is finished (the token is not added to the output); a
 *       row that reaches step {@code maxLength} without {@code <eos>} is cut there. Finished rows
 *       leave the batch ({@link DecoderState#select} of the remaining rows), and decoding stops as
 *       soon as no row is live.
 * </ol>
 *
 * <p>Each result has one {@link Hypothesis} whose {@link Hypothesis#score()} equals its {@link
 * Hypothesis#logProb()}. Immutable and thread-safe (see the package documentation).
 */
public final class GreedyDecoder implements Decoder {
  private static final String WHO = "greedy decoding";

  private final DecodingOptions options;

  /** A greedy decoder reading {@code sosId}, {@code eosId} and {@code maxLength}. */
  public GreedyDecoder(DecodingOptions options) {
    checkArgument(options != null, "%s: options are required", WHO);
    this.options = options;
  }

  @Override
  public DecodingOptions options() {
    return options;
  }

  @Override
  public List<DecodingResult> decode(Seq2Seq model, Tensor source, Tensor sourceMask) {
    DecodingSupport.check(WHO, model, source, sourceMask, options);
    try (GradMode.Scope ignored = GradMode.disabled()) {
      return run(model, source, sourceMask);
    }
  }

  private List<DecodingResult> run(Seq2Seq model, Tensor source, Tensor sourceMask) {
    Backend backend = source.backend();
    int batch = source.dim(0);
    int sourceLength = source.dim(1);
    int[][] columns = DecodingSupport.realColumns(sourceMask);
    int eos = options.eosId();
    int max = options.maxLength();

    Hypothesis[] done = new Hypothesis[batch];
    Node[] prefix = new Node[batch];
    double[] logProb = new double[batch];
    int[] live = new int[batch]; // the input of each state row
    Arrays.setAll(live, i -> i);
    int[] previous = new int[batch];
    Arrays.fill(previous, options.sosId());
    boolean hasAttention = false;

    DecoderState state = model.encode(source, sourceMask);
    for (int t = 1; t <= max && live.length > 0; t++) {
      DecoderStep step = model.step(Tensors.of(backend, previous, live.length), state);
      double[] best;
      int[] ids;
      try (TensorScope scope = TensorScope.open()) {
        Tensor[] top = step.logits().logSoftmax(-1).topK(1);
        best = top[0].toDoubleArray();
        ids = top[1].toIntArray();
      }
      DecodingSupport.checkNoNaN(WHO, best, t);
      hasAttention = step.attention() != null;
      float[] attention = hasAttention ? step.attention().toFloatArray() : null;
      int width = hasAttention ? step.attention().dim(1) : 0;

      int[] keep = new int[live.length];
      int kept = 0;
      for (int r = 0; r < live.length; r++) {
        int b = live[r];
        logProb[b] += best[r];
        if (ids[r] == eos) {
          done[b] = DecodingSupport.hypothesis(prefix[b], logProb[b], logProb[b], true, hasAttention);
          continue;
        }
        float[] row = hasAttention ? DecodingSupport.attentionRow(attention, r, width, sourceLength, columns[b]) : null;
        prefix[b] = new Node(prefix[b], ids[r], row);
        if (t == max) {
          done[b] = DecodingSupport.hypothesis(prefix[b], logProb[b], logProb[b], false, hasAttention);
        } else {
          keep[kept++] = r;
        }
      }
      if (kept == 0) {
        break;
      }
      int[] rows = Arrays.copyOf(keep, kept);
      state = kept == live.length ? step.state() : step.state().select(Tensors.of(backend, rows, kept));
      int[] nextLive = new int[kept];
      previous = new int[kept];
      for (int i = 0; i < kept; i++) {
        nextLive[i] = live[rows[i]];
        previous[i] = ids[rows[i]];
      }
      live = nextLive;
    }
    List<DecodingResult> results = new ArrayList<>(batch);
    for (Hypothesis h : done) {
      results.add(new DecodingResult(List.of(h)));
    }
    return results;
  }
}
