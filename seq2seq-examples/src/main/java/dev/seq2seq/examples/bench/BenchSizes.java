package dev.seq2seq.examples.bench;

import java.util.List;
import java.util.Locale;

/**
 * The data and model sizes of a benchmark run.
 *
 * <p>{@link #STANDARD} is what the PyTorch reference measured: vocabularies of 1,000 tokens, source
 * and target length 20, batch 64, RNN embedding 128 and hidden 256, Transformer {@code d_model}
 * 128 with 4 heads and FFN 512. {@link #TINY} keeps every code path but shrinks every size, for
 * smoke tests; its figures cannot be compared with the reference.
 *
 * @param name how the command line names these sizes
 * @param vocab source and target vocabulary size (4 specials included)
 * @param length source and target length in tokens; also the greedy decoding length
 * @param batch training batch size
 * @param embedding RNN token embedding size
 * @param hidden RNN hidden size
 * @param modelSize Transformer {@code d_model}
 * @param heads Transformer attention heads
 * @param feedForward Transformer FFN inner size
 */
public record BenchSizes(String name, int vocab, int length, int batch, int embedding, int hidden,
    int modelSize, int heads, int feedForward) {
  /** The sizes of the PyTorch reference. */
  public static final BenchSizes STANDARD = new BenchSizes("standard", 1000, 20, 64, 128, 256, 128, 4, 512);
  /** Small sizes for smoke tests (not comparable with the reference). */
  public static final BenchSizes TINY = new BenchSizes("tiny", 40, 6, 8, 16, 32, 16, 2, 32);

  /** The sizes of that name ({@code standard} or {@code tiny}). */
  public static BenchSizes named(String name) {
    for (BenchSizes s : List.of(STANDARD, TINY)) {
      if (s.name.equals(name.toLowerCase(Locale.ROOT))) {
        return s;
      }
    }
    throw new IllegalArgumentException(String.format("unknown sizes '%s': expected standard or tiny", name));
  }

  /** Whether the PyTorch reference figures apply to these sizes. */
  public boolean comparableWithReference() {
    return equals(STANDARD);
  }

  /** Target tokens in one training batch (every sequence has the full length). */
  public int targetTokensPerBatch() {
    return batch * length;
  }
}
