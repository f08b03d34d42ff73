package dev.seq2seq.models.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TokenizerTest {
  @Test
  void charactersAreCodePointsSoCjkAndEmojiSurvive() {
    Tokenizer t = new CharacterTokenizer();
    assertThat(t.tokenize("一万零二百零三")).containsExactly("一", "万", "零", "二", "百", "零", "三");
    String emoji = "I ❤ 😀!"; // U+1F600 is a surrogate pair in UTF-16
    List<String> tokens = t.tokenize(emoji);
    assertThat(tokens).containsExactly("I", " ", "❤", " ", "😀", "!");
    assertThat(tokens.get(4)).hasSize(2).isEqualTo("\uD83D\uDE00");
    assertThat(t.detokenize(tokens)).isEqualTo(emoji);
    assertThat(t.tokenize("")).isEmpty();
  }

  @Test
  void whitespaceSplitsOnAnyUnicodeSpaceAndJoinsWithOne() {
    Tokenizer t = new WhitespaceTokenizer();
    assertThat(t.tokenize("  Il fait\tbeau\u00A0aujourd'hui.\n")).containsExactly("Il", "fait", "beau", "aujourd'hui.");
    assertThat(t.tokenize("一万\u3000零二百 😀")).containsExactly("一万", "零二百", "😀");
    assertThat(t.detokenize(List.of("a", "b"))).isEqualTo("a b");
    assertThat(t.tokenize(" \t ")).isEmpty();
  }

  @Test
  void usersCanPlugInTheirOwn() {
    Tokenizer upper = new Tokenizer() {
      @Override
      public List<String> tokenize(String text) {
        return List.of(text.toUpperCase(java.util.Locale.ROOT).split("-"));
      }

      @Override
      public String detokenize(List<String> tokens) {
        return String.join("-", tokens);
      }
    };
    Vocabulary v = Vocabulary.builder().addAll(upper.tokenize("a-b-a")).build();
    EncodedPair p = new PairEncoder(upper, v, new CharacterTokenizer(), v).encode(new SentencePair("a-b", "AB"));
    assertThat(p.source()).containsExactly(4, 5);
    assertThat(p.target()).containsExactly(4, 5);
  }
}
