package dev.seq2seq.models.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VocabularyTest {
  @TempDir Path dir;

  private static Vocabulary counted(int minFrequency, int maxSize) {
    // counts: the 4, cat 2, sat 2, a 2, mat 1, on 1, <eos> (special, not counted)
    return Vocabulary.builder().optMinFrequency(minFrequency).optMaxSize(maxSize)
        .addAll(List.of("the", "cat", "sat", "on", "the", "mat", "the", "a", "cat", "a", "sat", "the", "<eos>"))
        .build();
  }

  @Test
  void specialsHaveFixedIds() {
    Vocabulary v = Vocabulary.builder().build();
    assertThat(v.tokens()).containsExactly("<pad>", "<sos>", "<eos>", "<unk>");
    assertThat(v.id("<pad>")).isEqualTo(Vocabulary.PAD).isZero();
    assertThat(v.id("<sos>")).isEqualTo(Vocabulary.SOS).isEqualTo(1);
    assertThat(v.id("<eos>")).isEqualTo(Vocabulary.EOS).isEqualTo(2);
    assertThat(v.id("<unk>")).isEqualTo(Vocabulary.UNK).isEqualTo(3);
  }

  @Test
  void ordersByCountThenTokenAndAppliesMinFrequencyAndMaxSize() {
    assertThat(counted(1, Integer.MAX_VALUE).tokens())
        .containsExactly("<pad>", "<sos>", "<eos>", "<unk>", "the", "a", "cat", "sat", "mat", "on");
    assertThat(counted(2, Integer.MAX_VALUE).tokens()).containsExactly("<pad>", "<sos>", "<eos>", "<unk>", "the", "a", "cat", "sat");
    // max size counts the specials; the tie between a, cat, sat is broken by token order
    assertThat(counted(1, 6).tokens()).containsExactly("<pad>", "<sos>", "<eos>", "<unk>", "the", "a");
    assertThat(counted(1, 4).size()).isEqualTo(4);
    // insertion order does not matter
    Vocabulary reversed = Vocabulary.builder()
        .addAll(List.of("<eos>", "the", "sat", "a", "cat", "a", "the", "mat", "the", "on", "sat", "cat", "the")).build();
    assertThat(reversed).isEqualTo(counted(1, Integer.MAX_VALUE));
    assertThatThrownBy(() -> Vocabulary.builder().optMaxSize(3)).hasMessageContaining("max size 3");
    assertThatThrownBy(() -> Vocabulary.builder().optMinFrequency(0)).hasMessageContaining("min frequency");
  }

  @Test
  void encodesUnknownsAndDecodesUpToEos() {
    Vocabulary v = counted(1, Integer.MAX_VALUE);
    int[] ids = v.encode(List.of("the", "dog", "sat"));
    assertThat(ids).containsExactly(4, Vocabulary.UNK, 7);
    assertThat(v.decode(new int[] {1, 4, 6, 2, 8, 0}, true)).containsExactly("the", "cat");
    assertThat(v.decode(new int[] {1, 4, 6, 2, 8, 0})).containsExactly("<sos>", "the", "cat", "<eos>", "mat", "<pad>");
    assertThatThrownBy(() -> v.decode(new int[] {4, 10})).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("id 10 is outside [0, 10)");
    assertThat(v.contains("dog")).isFalse();
  }

  @Test
  void ofKeepsOrderAndRejectsDuplicatesAndSpecials() {
    assertThat(Vocabulary.of(List.of("z", "y")).tokens()).containsExactly("<pad>", "<sos>", "<eos>", "<unk>", "z", "y");
    assertThatThrownBy(() -> Vocabulary.of(List.of("z", "z"))).hasMessageContaining("duplicate token 'z' at ids 4 and 5");
    assertThatThrownBy(() -> Vocabulary.of(List.of("<unk>"))).hasMessageContaining("duplicate token '<unk>'");
  }

  @Test
  void savesAndLoadsUtf8Json() throws IOException {
    Vocabulary v = Vocabulary.builder().addAll(List.of("一", "万", "零", "😀", "é", "\"quoted\"", "<b>", "万")).build();
    Path f = dir.resolve("sub/vocab.json");
    v.save(f);
    String text = Files.readString(f, StandardCharsets.UTF_8);
    assertThat(text).contains("\"format\": \"seq2seq-vocabulary\"").contains("😀").contains("<b>");
    Vocabulary back = Vocabulary.load(f);
    assertThat(back).isEqualTo(v);
    assertThat(back.tokens().get(4)).isEqualTo("万");
    // overwriting leaves no temporary files behind
    v.save(f);
    try (var files = Files.list(f.getParent())) {
      assertThat(files).containsExactly(f);
    }
  }

  private Path write(String name, String json) throws IOException {
    Path f = dir.resolve(name);
    Files.writeString(f, json, StandardCharsets.UTF_8);
    return f;
  }

  private static String json(String tokens) {
    return "{\"format\": \"seq2seq-vocabulary\", \"version\": 1, \"tokens\": [" + tokens + "]}";
  }

  @Test
  void loadReportsCorruptFilesByNameAndProblem() throws IOException {
    Path dup = write("dup.json", json("\"<pad>\", \"<sos>\", \"<eos>\", \"<unk>\", \"a\", \"b\", \"a\""));
    assertThatThrownBy(() -> Vocabulary.load(dup)).isInstanceOf(MalformedDataException.class)
        .hasMessageContaining(dup.toString()).hasMessageContaining("duplicate token 'a' at ids 4 and 6");
    Path missing = write("missing.json", json("\"<pad>\", \"<sos>\", \"<eos>\", \"a\""));
    assertThatThrownBy(() -> Vocabulary.load(missing)).hasMessageContaining(missing.toString())
        .hasMessageContaining("missing special token <unk> (expected at id 3)");
    Path swapped = write("swapped.json", json("\"<pad>\", \"<eos>\", \"<sos>\", \"<unk>\""));
    assertThatThrownBy(() -> Vocabulary.load(swapped)).hasMessageContaining(swapped.toString())
        .hasMessageContaining("special token <sos> has id 2, expected id 1");
    Path notJson = write("broken.json", "{\"format\": \"seq2seq-vocabulary\", \"tokens\": [");
    assertThatThrownBy(() -> Vocabulary.load(notJson)).hasMessageContaining(notJson.toString()).hasMessageContaining("not valid JSON");
    Path wrongFormat = write("other.json", "{\"format\": \"something\", \"version\": 1, \"tokens\": []}");
    assertThatThrownBy(() -> Vocabulary.load(wrongFormat)).hasMessageContaining("\"format\" must be \"seq2seq-vocabulary\"");
    Path version = write("v2.json", "{\"format\": \"seq2seq-vocabulary\", \"version\": 2, \"tokens\": []}");
    assertThatThrownBy(() -> Vocabulary.load(version)).hasMessageContaining("unsupported \"version\" 2");
    Path number = write("num.json", json("\"<pad>\", \"<sos>\", \"<eos>\", \"<unk>\", 7"));
    assertThatThrownBy(() -> Vocabulary.load(number)).hasMessageContaining("token at id 4 is not a string: 7");
    Path array = write("array.json", "[\"<pad>\"]");
    assertThatThrownBy(() -> Vocabulary.load(array)).hasMessageContaining("expected a JSON object");
    Path badUtf8 = dir.resolve("bad.json");
    Files.write(badUtf8, new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', '}'});
    assertThatThrownBy(() -> Vocabulary.load(badUtf8)).hasMessageContaining(badUtf8.toString()).hasMessageContaining("UTF-8");
  }
}
