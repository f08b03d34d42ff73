package dev.seq2seq.examples.throughput;

import dev.seq2seq.api.backend.Backend;
import dev.seq2seq.api.backend.Backends;
import dev.seq2seq.api.nn.Seq2Seq;
import dev.seq2seq.api.nn.Seq2SeqBatch;
import dev.seq2seq.api.random.Rng;
import dev.seq2seq.api.module.Module;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Shape;
import dev.seq2seq.api.tensor.Tensor;
import dev.seq2seq.api.tensor.TensorScope;
import dev.seq2seq.api.tensor.Tensors;
import dev.seq2seq.models.attention.BahdanauAttention;
import dev.seq2seq.models.attention.LuongAttention;
import dev.seq2seq.models.decoding.DecodingOptions;
import dev.seq2seq.models.decoding.GreedyDecoder;
import dev.seq2seq.models.decoding.GreedyDecoder.Execution;
import dev.seq2seq.models.loss.CrossEntropyLoss;
import dev.seq2seq.models.optim.Adam;
import dev.seq2seq.models.optim.LearningRateSchedule;
import dev.seq2seq.models.rnn.GruCell;
import dev.seq2seq.models.rnn.LstmCell;
import dev.seq2seq.models.seq2seq.AttentionStyle;
import dev.seq2seq.models.seq2seq.RnnSeq2Seq;
import dev.seq2seq.models.training.TrainingStep;
import dev.seq2seq.models.transformer.TransformerSeq2Seq;
import java.util.Arrays;
import java.util.Locale;

/**
 * A throughput harness (not a test): greedy decoding sentences/s, stepwise vs whole-loop, at batch
 * 64 and 1, and compiled training target tokens/s, for the three benchmark configurations (vocab
 * 1000, source and target length 20). Stepwise and whole-loop runs alternate in rounds so both see
 * the same machine load.
 *
 * <p>Arguments: {@code backend configs(a,b,c) what(decode|train|both) seconds-per-measurement rounds}.
 */
public final class DecodeAndTrainThroughput {
  private static final int VOCAB = 1000;
  private static final int LENGTH = 20;

  private DecodeAndTrainThroughput() {}

  public static void main(String[] args) {
    Backend backend = Backends.get(args.length > 0 ? args[0] : "tensorflow");
    String configs = args.length > 1 ? args[1] : "abc";
    String what = args.length > 2 ? args[2] : "both";
    double seconds = args.length > 3 ? Double.parseDouble(args[3]) : 3;
    int rounds = args.length > 4 ? Integer.parseInt(args[4]) : 2;
    for (char c : configs.toCharArray()) {
      Seq2Seq model = model(backend, c);
      if (!what.equals("train")) {
        decode(backend, model, c, 64, seconds, rounds);
        decode(backend, model, c, 1, seconds, rounds);
      }
      if (!what.equals("decode")) {
        train(backend, model, c, seconds, rounds);
      }
    }
  }

  static Seq2Seq model(Backend b, char config) {
    DType f = DType.FLOAT32;
    return switch (config) {
      case 'a' -> RnnSeq2Seq.builder().setBackend(b).setVocabularies(VOCAB, VOCAB).setCell(GruCell.factory(b, f))
          .setEmbeddingSize(128).setHiddenSize(256)
          .optAttention(AttentionStyle.BAHDANAU, (q, k, rng) -> new BahdanauAttention(b, f, q, k, q, rng))
          .setRng(new Rng(1)).build();
      case 'b' -> RnnSeq2Seq.builder().setBackend(b).setVocabularies(VOCAB, VOCAB).setCell(LstmCell.factory(b, f))
          .setEmbeddingSize(128).setHiddenSize(256).optNumLayers(2)
          .optAttention(AttentionStyle.LUONG, (q, k, rng) -> LuongAttention.general(b, f, q, k, rng))
          .setRng(new Rng(2)).build();
      case 'c' -> TransformerSeq2Seq.builder().setBackend(b).setVocabularies(VOCAB, VOCAB).setModelSize(128).setHeads(4)
          .optNumLayers(2, 2).optFeedForwardSize(512).optDropout(0).setRng(new Rng(3)).build();
      default -> throw new IllegalArgumentException("config must be a, b or c, got " + config);
    };
  }

  private static Tensor[] sources(Backend b, int batch, long seed) {
    Rng rng = new Rng(seed);
    int[] ids = new int[batch * LENGTH];
    Arrays.setAll(ids, i -> 4 + rng.nextInt(VOCAB - 4));
    double[] mask = new double[ids.length];
    Arrays.fill(mask, 1);
    return new Tensor[] {Tensors.of(b, ids, batch, LENGTH), Tensors.of(b, DType.FLOAT32, mask, Shape.of(batch, LENGTH))};
  }

  private static void decode(Backend b, Seq2Seq model, char config, int batch, double seconds, int rounds) {
    ((Module) model).setTraining(false);
    // eos id outside the sampled ids' likely argmax does not matter: random weights rarely hit it, so both run 20 steps
    DecodingOptions options = DecodingOptions.builder().setSosId(1).setEosId(2).setMaxLength(LENGTH).build();
    GreedyDecoder stepwise = new GreedyDecoder(options, Execution.STEPWISE);
    GreedyDecoder whole = new GreedyDecoder(options, Execution.WHOLE_LOOP);
    Tensor[] src = sources(b, batch, 7);
    rate(() -> stepwise.decode(model, src[0], src[1]), 0.5); // warm-up
    long traceStart = System.nanoTime();
    try (TensorScope scope = TensorScope.open()) {
      whole.decode(model, src[0], src[1]); // traces (and optimises) the loop on a compiling backend
    }
    double firstCall = (System.nanoTime() - traceStart) / 1e9;
    rate(() -> whole.decode(model, src[0], src[1]), 0.5);
    double[] s = new double[rounds];
    double[] w = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      s[r] = batch * rate(() -> stepwise.decode(model, src[0], src[1]), seconds);
      w[r] = batch * rate(() -> whole.decode(model, src[0], src[1]), seconds);
    }
    System.out.printf(Locale.ROOT, "decode %s %s batch %2d: stepwise %s sentences/s, whole loop %s sentences/s (first call %.2f s)%n",
        b.name(), config, batch, fmt(s), fmt(w), firstCall);
  }

  private static void train(Backend b, Seq2Seq model, char config, double seconds, int rounds) {
    Module m = (Module) model;
    TrainingStep step = new TrainingStep(model, Adam.adam(m.namedParameters()), new CrossEntropyLoss(),
        LearningRateSchedule.constant(1e-3), 1.0, 1.0, new Rng(5)).compile();
    Tensor[] src = sources(b, 64, 8);
    Tensor[] tgt = sources(b, 64, 9);
    Seq2SeqBatch batch = new Seq2SeqBatch(src[0], src[1], tgt[0], tgt[0], tgt[1]);
    long[] n = {0};
    rate(() -> step.run(batch, ++n[0]), 1.0); // warm-up incl. the trace
    double[] t = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      t[r] = 64 * LENGTH * rate(() -> step.run(batch, ++n[0]), seconds);
    }
    System.out.printf(Locale.ROOT, "train  %s %s batch 64: compiled %s target tokens/s%n", b.name(), config, fmt(t));
  }

  /** Calls per second of {@code work} over at least {@code seconds} (at least 2 calls), each in its own scope. */
  private static double rate(Runnable work, double seconds) {
    long start = System.nanoTime();
    long end = start + (long) (seconds * 1e9);
    int calls = 0;
    long now;
    do {
      try (TensorScope scope = TensorScope.open()) {
        work.run();
      }
      calls++;
      now = System.nanoTime();
    } while (now < end || calls < 2);
    return calls / ((now - start) / 1e9);
  }

  private static String fmt(double[] v) {
    StringBuilder sb = new StringBuilder();
    for (double x : v) {
      sb.append(sb.length() == 0 ? "" : " / ").append(String.format(Locale.ROOT, "%,.0f", x));
    }
    return sb.toString();
  }
}
