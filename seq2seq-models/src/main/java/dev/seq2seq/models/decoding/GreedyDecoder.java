package dev.seq2seq.models.decoding;

import static com.google.common.base.Preconditions.checkArgument;

import dev.seq2seq.api.backend.Backend;
import dev.seq2seq.api.compile.Steps;
import dev.seq2seq.api.module.Module;
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
 * Hypothesis#logProb()}. Thread-safe (see the package documentation).
 *
 * <p><b>Execution.</b> The algorithm runs in one of two ways with the same results ({@link
 * Execution}): {@link Execution#STEPWISE}, the loop above on the host, one model step (and one
 * value read) per token, stopping as soon as every row ended; or {@link Execution#WHOLE_LOOP},
 * where encoding and all {@code maxLength} steps — each feeding its own arg-max to the next — form
 * one computation that a backend compiles ({@link Steps#compile}; traced once per batch size and
 * source length, the model's parameters as state), and {@code <eos>} truncation happens on the host
 * afterwards. The whole loop always runs {@code maxLength} steps, but on a backend with a large
 * per-operation cost (TensorFlow's eager mode) one execution is much faster than hundreds of
 * operations per step. {@link Execution#AUTO} (the default) takes the whole loop when {@link
 * Steps#compiles} the backend, the model is a {@link Module} and the system property {@value
 * #PROPERTY} is not {@code false}; otherwise the stepwise loop. The decoder keeps the compiled loop
 * of the last model it decoded with (decodes through it are serialised); while a new batch shape is
 * traced the model's parameters hold symbolic values, so do not run the same model elsewhere then.
 */
public final class GreedyDecoder implements Decoder {
  /** System property that keeps greedy decoding stepwise ({@code false}) even where it could compile. */
  public static final String PROPERTY = "seq2seq.compile.decoding";

  private static final String WHO = "greedy decoding";

  /** How {@link GreedyDecoder} executes its loop; every choice gives the same hypotheses. */
  public enum Execution {
    /** The whole loop where the backend compiles (see the class comment), else stepwise. */
    AUTO,
    /** One model step per token on the host, stopping when every row ended. */
    STEPWISE,
    /** Encoding and {@code maxLength} steps as one computation, compiled where the backend can. */
    WHOLE_LOOP
  }

  private final DecodingOptions options;
  private final Execution execution;
  private final Object lock = new Object();
  private WholeLoopGreedy wholeLoop; // guarded by lock: the compiled loop of the last model

  /** A greedy decoder reading {@code sosId}, {@code eosId} and {@code maxLength}, with {@link Execution#AUTO}. */
  public GreedyDecoder(DecodingOptions options) {
    this(options, Execution.AUTO);
  }

  /** A greedy decoder that executes as {@code execution} says. */
  public GreedyDecoder(DecodingOptions options, Execution execution) {
    checkArgument(options != null, "%s: options are required", WHO);
    checkArgument(execution != null, "%s: execution is required", WHO);
    this.options = options;
    this.execution = execution;
  }

  /** How this decoder executes. */
  public Execution execution() {
    return execution;
  }

  @Override
  public DecodingOptions options() {
    return options;
  }

  @Override
  public List<DecodingResult> decode(Seq2Seq model, Tensor source, Tensor sourceMask) {
    DecodingSupport.check(WHO, model, source, sourceMask, options);
    try (GradMode.Scope ignored = GradMode.disabled()) {
      if (wholeLoop(model, source.backend())) {
        synchronized (lock) {
          if (wholeLoop == null || wholeLoop.model() != model) {
            if (wholeLoop != null) {
              wholeLoop.close();
            }
            wholeLoop = null;
            wholeLoop = new WholeLoopGreedy(model, source.backend(), options);
          }
          return wholeLoop.decode(source, sourceMask, WHO);
        }
      }
      return run(model, source, sourceMask);
    }
  }

  /** Whether a decode of {@code model} on {@code backend} runs the whole loop. */
  boolean wholeLoop(Seq2Seq model, Backend backend) {
    return switch (execution) {
      case STEPWISE -> false;
      case WHOLE_LOOP -> true;
      case AUTO -> model instanceof Module && Steps.compiles(backend)
          && !"false".equalsIgnoreCase(System.getProperty(PROPERTY));
    };
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
