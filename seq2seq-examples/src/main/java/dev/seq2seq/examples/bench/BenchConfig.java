package dev.seq2seq.examples.bench;

import dev.seq2seq.api.backend.Backend;
import dev.seq2seq.api.module.Module;
import dev.seq2seq.api.nn.Seq2Seq;
import dev.seq2seq.api.random.Rng;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.models.attention.BahdanauAttention;
import dev.seq2seq.models.attention.LuongAttention;
import dev.seq2seq.models.rnn.GruCell;
import dev.seq2seq.models.rnn.LstmCell;
import dev.seq2seq.models.seq2seq.AttentionStyle;
import dev.seq2seq.models.seq2seq.RnnSeq2Seq;
import dev.seq2seq.models.transformer.TransformerSeq2Seq;
import java.util.Locale;

/**
 * The three standard benchmark models, built the way users build them (the public builders,
 * float32, no dropout).
 *
 * <ul>
 *   <li>{@code a}: GRU encoder (1 layer) + GRU decoder with Bahdanau attention;
 *   <li>{@code b}: LSTM encoder-decoder, 2 layers, Luong "general" attention (input feeding);
 *   <li>{@code c}: Transformer (post-LN), 2 encoder + 2 decoder layers.
 * </ul>
 *
 * Sizes come from {@link BenchSizes}.
 */
public enum BenchConfig {
  /** GRU + Bahdanau attention. */
  A("a", "GRU 1 layer + Bahdanau") {
    @Override
    public Seq2Seq build(Backend backend, BenchSizes s, Rng rng) {
      return RnnSeq2Seq.builder().setBackend(backend).setVocabularies(s.vocab(), s.vocab())
          .setCell(GruCell.factory(backend, DType.FLOAT32)).setEmbeddingSize(s.embedding()).setHiddenSize(s.hidden())
          .optAttention(AttentionStyle.BAHDANAU, (q, k, r) -> new BahdanauAttention(backend, DType.FLOAT32, q, k, q, r))
          .setRng(rng).build();
    }
  },
  /** LSTM, 2 layers, Luong general attention. */
  B("b", "LSTM 2 layers + Luong general") {
    @Override
    public Seq2Seq build(Backend backend, BenchSizes s, Rng rng) {
      return RnnSeq2Seq.builder().setBackend(backend).setVocabularies(s.vocab(), s.vocab())
          .setCell(LstmCell.factory(backend, DType.FLOAT32)).setEmbeddingSize(s.embedding()).setHiddenSize(s.hidden())
          .optNumLayers(2)
          .optAttention(AttentionStyle.LUONG, (q, k, r) -> LuongAttention.general(backend, DType.FLOAT32, q, k, r))
          .setRng(rng).build();
    }
  },
  /** Transformer 2+2 layers. */
  C("c", "Transformer 2+2 layers") {
    @Override
    public Seq2Seq build(Backend backend, BenchSizes s, Rng rng) {
      return TransformerSeq2Seq.builder().setBackend(backend).setVocabularies(s.vocab(), s.vocab())
          .setModelSize(s.modelSize()).setHeads(s.heads()).optNumLayers(2, 2).optFeedForwardSize(s.feedForward())
          .optDropout(0).optMaxLength(Math.max(64, s.length() + 1)).setRng(rng).build();
    }

    @Override
    String outputBiasName() {
      return "generator.bias";
    }
  };

  private final String key;
  private final String description;

  BenchConfig(String key, String description) {
    this.key = key;
    this.description = description;
  }

  /** How the command line names this configuration ({@code a}, {@code b} or {@code c}). */
  public String key() {
    return key;
  }

  /** A short description, e.g. {@code GRU 1 layer + Bahdanau}. */
  public String description() {
    return description;
  }

  /** A fresh model of this configuration; a {@link Module} implementing {@link Seq2Seq}. */
  public abstract Seq2Seq build(Backend backend, BenchSizes sizes, Rng rng);

  /** The name of the output layer's bias parameter (the logits are {@code W x + bias}). */
  String outputBiasName() {
    return "decoder.output.bias";
  }

  /** The configuration of that key. */
  public static BenchConfig named(String key) {
    for (BenchConfig c : values()) {
      if (c.key.equals(key.trim().toLowerCase(Locale.ROOT))) {
        return c;
      }
    }
    throw new IllegalArgumentException(String.format("unknown config '%s': expected a, b or c", key));
  }
}
