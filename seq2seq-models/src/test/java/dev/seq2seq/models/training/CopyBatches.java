package dev.seq2seq.models.training;

import dev.seq2seq.api.backend.Backend;
import dev.seq2seq.api.nn.Seq2SeqBatch;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Shape;
import dev.seq2seq.api.tensor.Tensors;
import dev.seq2seq.models.data.Vocabulary;
import java.util.List;

/** Teacher-forcing batches of the reversal task from id arrays (ids of the Vocabulary specials). */
final class CopyBatches {
  private CopyBatches() {}

  static Seq2SeqBatch reversed(Backend b, List<int[]> sources) {
    int n = sources.size();
    int s = sources.stream().mapToInt(x -> x.length).max().orElse(1);
    int t = s + 1;
    int[] src = new int[n * s];
    double[] srcMask = new double[n * s];
    int[] in = new int[n * t];
    int[] out = new int[n * t];
    double[] tgtMask = new double[n * t];
    for (int i = 0; i < n; i++) {
      int[] x = sources.get(i);
      in[i * t] = Vocabulary.SOS;
      for (int j = 0; j < x.length; j++) {
        src[i * s + j] = x[j];
        srcMask[i * s + j] = 1;
        int y = x[x.length - 1 - j];
        out[i * t + j] = y;
        in[i * t + j + 1] = y;
      }
      out[i * t + x.length] = Vocabulary.EOS;
      for (int j = 0; j <= x.length; j++) {
        tgtMask[i * t + j] = 1;
      }
    }
    return new Seq2SeqBatch(Tensors.of(b, src, n, s), Tensors.of(b, DType.FLOAT32, srcMask, Shape.of(n, s)),
        Tensors.of(b, in, n, t), Tensors.of(b, out, n, t), Tensors.of(b, DType.FLOAT32, tgtMask, Shape.of(n, t)));
  }
}
