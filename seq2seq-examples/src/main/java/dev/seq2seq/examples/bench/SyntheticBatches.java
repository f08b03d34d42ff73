package dev.seq2seq.examples.bench;

import dev.seq2seq.api.backend.Backend;
import dev.seq2seq.api.nn.Seq2SeqBatch;
import dev.seq2seq.api.random.Rng;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Shape;
import dev.seq2seq.api.tensor.Tensor;
import dev.seq2seq.api.tensor.Tensors;
import dev.seq2seq.models.data.Vocabulary;
import java.util.Arrays;

/**
 * Random full-length batches from a seeded {@link Rng}: every token id is uniform in
 * {@code [FIRST_TOKEN, vocab)}, so no sequence has padding and no target is a special token
 * ({@code <pad>}, {@code <sos>}, {@code <eos>}, {@code <unk>}).
 *
 * <p>A training batch has {@code targetInput = <sos> y_1 .. y_{n-1}}, {@code targetOutput = y_1 .. y_n}
 * and all-ones masks, so it holds exactly {@code batch x length} target tokens.
 */
public final class SyntheticBatches {
  /** The first id after the specials. */
  static final int FIRST_TOKEN = Vocabulary.UNK + 1;

  private SyntheticBatches() {}

  /** A teacher-forcing batch of {@code rows} pairs of the sizes' length. */
  public static Seq2SeqBatch training(Backend backend, BenchSizes sizes, int rows, Rng rng) {
    int n = sizes.length();
    int[] target = ids(rows * n, sizes.vocab(), rng);
    int[] targetInput = new int[rows * n];
    for (int r = 0; r < rows; r++) {
      targetInput[r * n] = Vocabulary.SOS;
      System.arraycopy(target, r * n, targetInput, r * n + 1, n - 1);
    }
    Tensor ones = allOnes(backend, rows, n);
    return new Seq2SeqBatch(Tensors.of(backend, ids(rows * n, sizes.vocab(), rng), rows, n), ones,
        Tensors.of(backend, targetInput, rows, n), Tensors.of(backend, target, rows, n), ones);
  }

  /** {@code [rows, length]} int32 source ids and their all-ones float32 mask. */
  static Tensor[] source(Backend backend, BenchSizes sizes, int rows, Rng rng) {
    return new Tensor[] {Tensors.of(backend, ids(rows * sizes.length(), sizes.vocab(), rng), rows, sizes.length()),
        allOnes(backend, rows, sizes.length())};
  }

  private static Tensor allOnes(Backend backend, int rows, int columns) {
    double[] ones = new double[rows * columns];
    Arrays.fill(ones, 1.0);
    return Tensors.of(backend, DType.FLOAT32, ones, Shape.of(rows, columns));
  }

  private static int[] ids(int count, int vocab, Rng rng) {
    int[] out = new int[count];
    for (int i = 0; i < count; i++) {
      out[i] = FIRST_TOKEN + rng.nextInt(vocab - FIRST_TOKEN);
    }
    return out;
  }
}
