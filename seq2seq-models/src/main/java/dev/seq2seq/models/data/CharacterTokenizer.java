package dev.seq2seq.models.data;

import static com.google.common.base.Preconditions.checkNotNull;

import java.util.ArrayList;
import java.util.List;

/**
 * One token per Unicode code point, so CJK ideographs and characters outside the Basic
 * Multilingual Plane (surrogate pairs such as emoji) are single tokens, never half characters.
 * Whitespace is kept as tokens; {@link #detokenize} concatenates, so the round trip is exact.
 *
 * <p>Not grapheme clusters: a base letter with a combining accent, or an emoji ZWJ sequence, is
 * several code points and so several tokens (normalise the text to NFC first if that matters).
 */
public final class CharacterTokenizer implements Tokenizer {
  @Override
  public List<String> tokenize(String text) {
    checkNotNull(text, "tokenize: text is null");
    List<String> tokens = new ArrayList<>(text.length());
    text.codePoints().forEach(cp -> tokens.add(new String(Character.toChars(cp))));
    return tokens;
  }

  @Override
  public String detokenize(List<String> tokens) {
    return String.join("", tokens);
  }

  @Override
  public String toString() {
    return "CharacterTokenizer";
  }
}
