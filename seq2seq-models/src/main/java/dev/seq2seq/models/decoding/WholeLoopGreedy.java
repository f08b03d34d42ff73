package dev.seq2seq.models.decoding;

import dev.seq2seq.api.backend.Backend;
import dev.seq2seq.api.compile.CompiledStep;
import dev.seq2seq.api.compile.Steps;
import dev.seq2seq.api.module.Module;
import dev.seq2seq.api.module.Parameter;
import dev.seq2seq.api.nn.DecoderState;
import dev.seq2seq.api.nn.DecoderStep;
import dev.seq2seq.api.nn.Seq2Seq;
import dev.seq2seq.api.tensor.Tensor;
import dev.seq2seq.api.tensor.TensorScope;
import dev.seq2seq.api.tensor.Tensors;
import dev.seq2seq.models.decoding.DecodingSupport.Node;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Greedy decoding as one fixed-length computation: encode, then {@code maxLength} steps each
 * feeding its own arg-max back in, with no value-dependent control flow — so a backend can compile
 * the whole loop ({@link Steps#compile}, traced once per {@code (batch, sourceLength)}; the model's
 * parameters are its state). The loop returns, per row and step, the best log-probability, its
 * token and (if the model has attention) the attention row; {@code <eos>} truncation happens on the
 * host afterwards, giving the same hypotheses as {@link GreedyDecoder}'s step-by-step loop.
 *
 * <p>Rows that finished early keep being stepped (their later outputs are discarded), and the loop
 * always runs {@code maxLength} steps: the price of one execution instead of one per step.
 *
 * <p>Not thread-safe; {@link GreedyDecoder} serialises its use. While a backend traces a new
 * signature, the model's parameters temporarily hold symbolic values (as in compiled training).
 */
final class WholeLoopGreedy implements AutoCloseable {
  private final Seq2Seq model;
  private final int sosId;
  private final int eosId;
  private final int maxLength;
  private final CompiledStep step;

  /** Prepares the loop for {@code model}: compiled when the backend can and the model is a {@link Module}. */
  WholeLoopGreedy(Seq2Seq model, Backend backend, DecodingOptions options) {
    this.model = model;
    this.sosId = options.sosId();
    this.eosId = options.eosId();
    this.maxLength = options.maxLength();
    if (model instanceof Module) {
      List<Parameter> state = ((Module) model).parameters();
      this.step = Steps.compile(backend, "greedy_decode", state, this::loop);
    } else {
      this.step = Steps.eager(this::loop);
    }
  }

  /** The model this loop was prepared for. */
  Seq2Seq model() {
    return model;
  }

  /**
   * Inputs: source, source mask, the {@code <sos>} column {@code [B]}. Outputs: best
   * log-probabilities {@code [B, maxLength]}, tokens int32 {@code [B, maxLength]} and, with
   * attention, {@code [B, maxLength, width]}.
   */
  private List<Tensor> loop(List<Tensor> in) {
    int batch = in.get(0).dim(0);
    DecoderState state = model.encode(in.get(0), in.get(1));
    Tensor previous = in.get(2);
    List<Tensor> best = new ArrayList<>(maxLength);
    List<Tensor> ids = new ArrayList<>(maxLength);
    List<Tensor> attention = new ArrayList<>(maxLength);
    for (int t = 0; t < maxLength; t++) {
      DecoderStep out = model.step(previous, state);
      Tensor[] top = out.logits().logSoftmax(-1).topK(1); // [B, 1] each
      best.add(top[0]);
      ids.add(top[1]);
      if (out.attention() != null) {
        attention.add(out.attention().unsqueeze(1));
      }
      previous = top[1].reshape(batch);
      state = out.state();
    }
    List<Tensor> outputs = new ArrayList<>(3);
    outputs.add(Tensor.concat(best, 1));
    outputs.add(Tensor.concat(ids, 1));
    if (attention.size() == maxLength) {
      outputs.add(Tensor.concat(attention, 1));
    }
    return outputs;
  }

  /** Decodes a checked batch; same results as the step-by-step loop. */
  List<DecodingResult> decode(Tensor source, Tensor sourceMask, String who) {
    Backend backend = source.backend();
    int batch = source.dim(0);
    int sourceLength = source.dim(1);
    int[][] columns = DecodingSupport.realColumns(sourceMask);
    double[] best;
    int[] ids;
    float[] attention = null;
    int width = 0;
    try (TensorScope scope = TensorScope.open()) {
      int[] sos = new int[batch];
      Arrays.fill(sos, sosId);
      List<Tensor> out = step.run(List.of(source, sourceMask, Tensors.of(backend, sos, batch)));
      best = out.get(0).toDoubleArray();
      ids = out.get(1).toIntArray();
      if (out.size() > 2) {
        attention = out.get(2).toFloatArray();
        width = out.get(2).dim(2);
      }
    }
    boolean hasAttention = attention != null;
    Hypothesis[] done = new Hypothesis[batch];
    Node[] prefix = new Node[batch];
    double[] logProb = new double[batch];
    int[] live = new int[batch];
    Arrays.setAll(live, i -> i);
    int liveCount = batch;
    for (int t = 1; t <= maxLength && liveCount > 0; t++) {
      for (int r = 0; r < liveCount; r++) {
        if (Double.isNaN(best[live[r] * maxLength + t - 1])) {
          throw new IllegalStateException(
              String.format("%s: the model produced NaN log-probabilities at step %d", who, t));
        }
      }
      int kept = 0;
      for (int r = 0; r < liveCount; r++) {
        int b = live[r];
        int cell = b * maxLength + t - 1;
        logProb[b] += best[cell];
        if (ids[cell] == eosId) {
          done[b] = DecodingSupport.hypothesis(prefix[b], logProb[b], logProb[b], true, hasAttention);
          continue;
        }
        float[] row = hasAttention ? DecodingSupport.attentionRow(attention, cell, width, sourceLength, columns[b]) : null;
        prefix[b] = new Node(prefix[b], ids[cell], row);
        if (t == maxLength) {
          done[b] = DecodingSupport.hypothesis(prefix[b], logProb[b], logProb[b], false, hasAttention);
        } else {
          live[kept++] = b;
        }
      }
      liveCount = kept;
    }
    List<DecodingResult> results = new ArrayList<>(batch);
    for (Hypothesis h : done) {
      results.add(new DecodingResult(List.of(h)));
    }
    return results;
  }

  @Override
  public void close() {
    step.close();
  }
}
