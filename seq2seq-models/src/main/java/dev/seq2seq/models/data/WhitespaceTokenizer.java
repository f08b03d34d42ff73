package dev.seq2seq.models.data;

import static com.google.common.base.Preconditions.checkNotNull;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Splits on runs of Unicode whitespace (including no-break and ideographic spaces) and drops empty
 * tokens; {@link #detokenize} joins with single spaces. Punctuation stays attached to words: split
 * it off beforehand, or write your own {@link Tokenizer}, if that matters.
 */
public final class WhitespaceTokenizer implements Tokenizer {
  private static final Pattern WHITESPACE = Pattern.compile("[\\s\\p{Z}]+", Pattern.UNICODE_CHARACTER_CLASS);

  @Override
  public List<String> tokenize(String text) {
    checkNotNull(text, "tokenize: text is null");
    List<String> tokens = new ArrayList<>();
    for (String t : WHITESPACE.split(text)) {
      if (!t.isEmpty()) {
        tokens.add(t);
      }
    }
    return tokens;
  }

  @Override
  public String detokenize(List<String> tokens) {
    return String.join(" ", tokens);
  }

  @Override
  public String toString() {
    return "WhitespaceTokenizer";
  }
}
