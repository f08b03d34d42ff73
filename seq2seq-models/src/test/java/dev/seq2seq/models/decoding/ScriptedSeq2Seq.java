package dev.seq2seq.models.decoding;

import dev.seq2seq.api.backend.Backend;
import dev.seq2seq.api.nn.DecoderState;
import dev.seq2seq.api.nn.DecoderStep;
import dev.seq2seq.api.nn.Seq2Seq;
import dev.seq2seq.api.nn.Seq2SeqBatch;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Shape;
import dev.seq2seq.api.tensor.Tensor;
import dev.seq2seq.api.tensor.Tensors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fake model whose next-token distribution is a fixed table keyed by the source's first token and
 * the decoded prefix, so that decoders can be checked by hand.
 *
 * <p>{@code script(source).after(prefix tokens...).probs(token, p, token, p, ...)} sets the
 * distribution after a prefix; unlisted tokens have probability 0 (logit {@code -1e9}, so that
 * {@code log_softmax} gives exactly {@code log p} for the listed ones when they sum to 1). A prefix
 * without an entry ends: {@code <eos>} with probability 1. Attention: step {@code t} looks at source
 * position {@code (t - 1) mod sourceLength} (one-hot), if enabled. Float64.
 */
final class ScriptedSeq2Seq implements Seq2Seq {
  static final double IMPOSSIBLE = -1e9;

  private final Backend backend;
  private final int vocab;
  private final int eos;
  private final boolean attention;
  private final Map<Integer, Map<List<Integer>, double[]>> tables = new HashMap<>();
  final AtomicInteger steps = new AtomicInteger();
  final List<Integer> stepBatchSizes = java.util.Collections.synchronizedList(new ArrayList<>());

  ScriptedSeq2Seq(Backend backend, int vocab, int eos, boolean attention) {
    this.backend = backend;
    this.vocab = vocab;
    this.eos = eos;
    this.attention = attention;
  }

  /** The table of sources starting with {@code firstSourceToken}. */
  Script script(int firstSourceToken) {
    return new Script(tables.computeIfAbsent(firstSourceToken, k -> new HashMap<>()));
  }

  final class Script {
    private final Map<List<Integer>, double[]> table;
    private List<Integer> prefix = List.of();

    private Script(Map<List<Integer>, double[]> table) {
      this.table = table;
    }

    Script after(int... tokens) {
      prefix = Arrays.stream(tokens).boxed().toList();
      return this;
    }

    /** Pairs {@code token, probability}. */
    Script probs(double... pairs) {
      double[] logits = new double[vocab];
      Arrays.fill(logits, IMPOSSIBLE);
      for (int i = 0; i < pairs.length; i += 2) {
        logits[(int) pairs[i]] = Math.log(pairs[i + 1]);
      }
      table.put(prefix, logits);
      return this;
    }
  }

  @Override
  public int targetVocabSize() {
    return vocab;
  }

  @Override
  public Tensor logits(Seq2SeqBatch batch) {
    throw new UnsupportedOperationException("scripted model: decoding only");
  }

  private record State(int[] firstTokens, int sourceLength, List<List<Integer>> prefixes, boolean started)
      implements DecoderState {
    @Override
    public int batchSize() {
      return prefixes.size();
    }

    @Override
    public DecoderState select(Tensor rows) {
      int[] r = rows.toIntArray();
      int[] first = new int[r.length];
      List<List<Integer>> p = new ArrayList<>(r.length);
      for (int i = 0; i < r.length; i++) {
        first[i] = firstTokens[r[i]];
        p.add(prefixes.get(r[i]));
      }
      return new State(first, sourceLength, p, started);
    }
  }

  @Override
  public DecoderState encode(Tensor source, Tensor sourceMask) {
    int batch = source.dim(0);
    int[] s = source.toIntArray();
    int[] first = new int[batch];
    List<List<Integer>> prefixes = new ArrayList<>();
    for (int b = 0; b < batch; b++) {
      first[b] = s[b * source.dim(1)];
      prefixes.add(List.of());
    }
    return new State(first, source.dim(1), prefixes, false);
  }

  @Override
  public DecoderStep step(Tensor previousTokens, DecoderState decoderState) {
    State state = (State) decoderState;
    int[] prev = previousTokens.toIntArray();
    int batch = state.batchSize();
    steps.incrementAndGet();
    stepBatchSizes.add(batch);
    double[] logits = new double[batch * vocab];
    double[] att = new double[batch * state.sourceLength()];
    List<List<Integer>> next = new ArrayList<>(batch);
    for (int b = 0; b < batch; b++) {
      List<Integer> prefix = new ArrayList<>(state.prefixes().get(b));
      if (state.started()) {
        prefix.add(prev[b]);
      }
      next.add(List.copyOf(prefix));
      double[] row = tables.getOrDefault(state.firstTokens()[b], Map.of()).get(prefix);
      if (row == null) {
        row = new double[vocab];
        Arrays.fill(row, IMPOSSIBLE);
        row[eos] = 0;
      }
      System.arraycopy(row, 0, logits, b * vocab, vocab);
      att[b * state.sourceLength() + prefix.size() % state.sourceLength()] = 1;
    }
    Tensor attentionTensor = attention ? Tensors.of(backend, att, batch, state.sourceLength()) : null;
    return new DecoderStep(Tensors.of(backend, logits, batch, vocab), attentionTensor,
        new State(state.firstTokens(), state.sourceLength(), next, true));
  }

  /** A batch of sources {@code [first, 9, 9, ...]} of the given real lengths, right-padded with 0. */
  static Tensor[] sources(Backend backend, int[] firstTokens, int[] lengths) {
    int width = Arrays.stream(lengths).max().orElse(1);
    int[] ids = new int[firstTokens.length * width];
    double[] mask = new double[ids.length];
    for (int b = 0; b < firstTokens.length; b++) {
      for (int j = 0; j < lengths[b]; j++) {
        ids[b * width + j] = j == 0 ? firstTokens[b] : 9;
        mask[b * width + j] = 1;
      }
    }
    return new Tensor[] {Tensors.of(backend, ids, firstTokens.length, width),
        Tensors.of(backend, DType.FLOAT64, mask, Shape.of(firstTokens.length, width))};
  }
}
