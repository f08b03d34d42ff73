package dev.seq2seq.models.data;

import java.util.List;

/**
 * Splits text into tokens and joins tokens back into text. Implement it to plug in your own
 * tokenization (subwords, a morphological analyser...); the rest of the pipeline only sees tokens.
 *
 * <p>Implementations should be stateless or immutable, so they can be shared between threads, and
 * should satisfy {@code detokenize(tokenize(s))} equals {@code s} up to the normalisation they
 * document (e.g. collapsed whitespace).
 */
public interface Tokenizer {
  /** The tokens of {@code text}, in order; never null, possibly empty. */
  List<String> tokenize(String text);

  /** Text for {@code tokens}: the inverse of {@link #tokenize} up to normalisation. */
  String detokenize(List<String> tokens);
}
