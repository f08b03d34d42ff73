package dev.seq2seq.models.inject;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.gson.annotations.SerializedName;
import dev.seq2seq.api.nn.Seq2Seq;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.models.data.CharacterTokenizer;
import dev.seq2seq.models.data.Tokenizer;
import dev.seq2seq.models.data.WhitespaceTokenizer;
import dev.seq2seq.models.seq2seq.AttentionStyle;
import java.util.List;
import java.util.Locale;

/**
 * Everything needed to rebuild a trained model apart from its weights and vocabularies: family,
 * sizes, cell and attention names, tokenizer and seed. It is the {@code config.json} of a saved
 * model (snake_case keys, see {@link #KEYS}) and the JSON a user writes for {@code seq2seq train
 * --config}. Missing values take the defaults of {@link #withDefaults()}.
 *
 * <p>Family {@code rnn} uses {@code cell}, {@code attention}, {@code embedding}, {@code hidden},
 * {@code layers}, {@code bidirectional}, {@code dropout}; family {@code transformer} uses
 * {@code d_model}, {@code heads}, {@code layers} (encoder and decoder each), {@code ffn},
 * {@code dropout}, {@code max_length}. An attention named {@code none} means no attention; a name
 * starting with {@code luong} is used Luong-style (after the cell, with input feeding), any other
 * Bahdanau-style (before the cell).
 *
 * @param family {@code rnn} or {@code transformer}
 * @param tokenizer {@code whitespace} (tokens between spaces) or {@code char} (one token a character)
 * @param cell a registered cell name ({@code gru}, {@code lstm}, {@code rnn_tanh}, ...)
 * @param attention a registered attention name, or {@code none}
 * @param maxLength the Transformer's longest sequence (positional encodings)
 * @param seed the seed of initial weights, dropout masks and batch order
 */
public record ModelSpec(
    String family,
    String tokenizer,
    String cell,
    String attention,
    int embedding,
    int hidden,
    int layers,
    boolean bidirectional,
    @SerializedName("d_model") int modelSize,
    int heads,
    int ffn,
    double dropout,
    @SerializedName("max_length") int maxLength,
    long seed) {
  /** The JSON keys, in order. */
  public static final List<String> KEYS = List.of("family", "tokenizer", "cell", "attention", "embedding", "hidden",
      "layers", "bidirectional", "d_model", "heads", "ffn", "dropout", "max_length", "seed");
  /** The model families. */
  public static final List<String> FAMILIES = List.of("rnn", "transformer");
  /** The tokenizer names. */
  public static final List<String> TOKENIZERS = List.of("whitespace", "char");

  /**
   * This spec with every unset (null or 0) value replaced by its default: {@code rnn},
   * {@code whitespace}, {@code gru}, {@code bahdanau}, embedding 64, hidden 128, 1 layer, d_model
   * 128, 4 heads, ffn 4 x d_model, max_length 256, seed 42; then checks every value.
   *
   * @throws IllegalArgumentException naming the first bad value and what is allowed
   */
  public ModelSpec withDefaults() {
    ModelSpec s = new ModelSpec(or(family, "rnn").toLowerCase(Locale.ROOT), or(tokenizer, "whitespace").toLowerCase(Locale.ROOT),
        or(cell, "gru"), or(attention, "bahdanau"), or(embedding, 64), or(hidden, 128), or(layers, 1), bidirectional,
        or(modelSize, 128), or(heads, 4), ffn != 0 ? ffn : 4 * or(modelSize, 128), dropout, or(maxLength, 256),
        seed != 0 ? seed : 42);
    s.check();
    return s;
  }

  private void check() {
    checkArgument(FAMILIES.contains(family), "model config: unknown family '%s': expected one of %s", family, FAMILIES);
    checkArgument(TOKENIZERS.contains(tokenizer), "model config: unknown tokenizer '%s': expected one of %s", tokenizer, TOKENIZERS);
    positive("embedding", embedding);
    positive("hidden", hidden);
    positive("layers", layers);
    positive("d_model", modelSize);
    positive("heads", heads);
    positive("ffn", ffn);
    positive("max_length", maxLength);
    checkArgument(dropout >= 0 && dropout < 1, "model config: dropout must be in [0, 1), got %s", dropout);
    checkArgument(!isTransformer() || modelSize % heads == 0,
        "model config: heads %s must divide d_model %s", heads, modelSize);
  }

  private static void positive(String key, int value) {
    checkArgument(value > 0, "model config: %s must be > 0, got %s", key, value);
  }

  /** Whether the family is {@code transformer}. */
  public boolean isTransformer() {
    return "transformer".equals(family);
  }

  /** The tokenizer both sides use. */
  public Tokenizer newTokenizer() {
    return "char".equals(tokenizer) ? new CharacterTokenizer() : new WhitespaceTokenizer();
  }

  /** How an RNN decoder uses the named attention (see the class comment). */
  public AttentionStyle attentionStyle() {
    if ("none".equals(attention)) {
      return AttentionStyle.NONE;
    }
    return attention.toLowerCase(Locale.ROOT).startsWith("luong") ? AttentionStyle.LUONG : AttentionStyle.BAHDANAU;
  }

  /**
   * A new model with weights drawn from {@link #seed()}, built by {@code component}'s factories
   * (so registered cells and attentions resolve by name), in float32.
   *
   * @throws IllegalArgumentException for an unknown cell or attention name, listing the registered ones
   */
  public Seq2Seq build(ModelComponent component, int sourceVocab, int targetVocab) {
    if (isTransformer()) {
      return component.transformer().create(new TransformerModelConfig(sourceVocab, targetVocab, modelSize, heads,
          layers, layers, ffn, dropout, false, maxLength, DType.FLOAT32, seed));
    }
    AttentionStyle style = attentionStyle();
    return component.rnnSeq2Seq().create(new RnnModelConfig(cell, style, style == AttentionStyle.NONE ? null : attention,
        sourceVocab, targetVocab, embedding, hidden, layers, bidirectional, dropout, DType.FLOAT32, seed));
  }

  /** One line for logs, e.g. {@code rnn gru+bahdanau emb 64 hidden 128 x1}. */
  public String describe() {
    return isTransformer()
        ? String.format(Locale.ROOT, "transformer d_model %d, %d heads, %d+%d layers, ffn %d, dropout %s, %s tokens",
            modelSize, heads, layers, layers, ffn, dropout, tokenizer)
        : String.format(Locale.ROOT, "rnn %s + %s, embedding %d, hidden %d, %d layer(s)%s, dropout %s, %s tokens",
            cell, attention, embedding, hidden, layers, bidirectional ? ", bidirectional encoder" : "", dropout, tokenizer);
  }

  private static String or(String value, String otherwise) {
    return value == null || value.isBlank() ? otherwise : value;
  }

  private static int or(int value, int otherwise) {
    return value != 0 ? value : otherwise;
  }
}
