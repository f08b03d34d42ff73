package dev.seq2seq.examples.dates;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seq2seq.api.backend.Backends;
import dev.seq2seq.models.data.Vocabulary;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dates example on a small budget (LSTM-48, 250 steps of 32, about 6 s): it must learn — held-out exact
 * match far above chance, which is about 0 for ten characters over 11 tokens — print its samples,
 * save its best checkpoint with both vocabularies, and attend where the year is written when it
 * writes the year. Not its full target (≥ 95 %), which the full run reaches in minutes.
 */
class DatesExampleTest {
  private static final int STEPS = 250;

  @TempDir
  Path dir;

  @Test
  void everyCharacterOfEveryFormatOnEveryDayIsInTheSourceVocabulary() {
    for (LocalDate d = DateData.FIRST; !d.isAfter(DateData.LAST); d = d.plusDays(1)) {
      for (DateFormat f : DateFormat.values()) {
        String written = f.render(d);
        for (String c : DatesExample.characters(written)) {
          assertThat(DatesExample.WRITTEN.id(c)).as("'%s' of %s (%s)", c, written, f).isNotEqualTo(Vocabulary.UNK);
        }
      }
    }
    assertThat(DatesExample.ISO.encode(DatesExample.characters("2049-12-31"))).doesNotContain(Vocabulary.UNK);
  }

  @Test
  void learnsIsoDatesOnEjmlSavesItsBestCheckpointAndAttendsToTheYear() throws Exception {
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    DatesExample.Settings quick = new DatesExample.Settings(20_000, 100, 200, 16, 48, 32, STEPS, 1e-2, STEPS / 2, 40, 5);
    DatesExample.Result r = DatesExample.run(Backends.get("ejml"), quick,
        new PrintStream(text, true, StandardCharsets.UTF_8), dir.resolve("ckpt"));
    String printed = text.toString(StandardCharsets.UTF_8);
    assertThat(r.heldOutExactMatch()).as("held-out exact match after %d steps\n%s", STEPS, printed).isGreaterThan(0.5);
    assertThat(printed).contains("held-out exact match:").contains(" -> ").contains("validation at step " + STEPS / 2);
    for (String png : new String[] {"loss.png", "attention.png"}) {
      assertThat(javax.imageio.ImageIO.read(dir.resolve("ckpt-plots").resolve(png).toFile())).as("a readable %s", png).isNotNull();
    }
    assertThat(Files.exists(dir.resolve("ckpt").resolve("model.safetensors"))).isTrue();
    assertThat(Files.exists(dir.resolve("ckpt").resolve("vocab.iso.json"))).isTrue();
    assertThat(r.training().trainLosses().get(STEPS - 1)).isLessThan(r.training().trainLosses().get(0) / 3);

    List<DatesExample.Sample> right = r.samples().stream().filter(DatesExample.Sample::correct).toList();
    assertThat(right).as("correct samples among %d", r.samples().size()).hasSizeGreaterThan(10);
    long aligned = right.stream().filter(DatesExampleTest::yearDigitsAttendToTheWrittenYear).count();
    assertThat(aligned).as("correct decodes whose 3rd and 4th output characters attend most to the year's last two"
        + " written digits, of %d", right.size()).isGreaterThanOrEqualTo(Math.round(0.8 * right.size()));
  }

  /**
   * Whether the decode's 3rd and 4th characters ({@code 98} of {@code 1998}) put their largest
   * attention weight on the source characters that write those digits ({@code 98} in {@code Mar 3,
   * 98} or in {@code 3rd of March 1998}).
   */
  private static boolean yearDigitsAttendToTheWrittenYear(DatesExample.Sample s) {
    String written = s.example().source();
    String year = Integer.toString(s.example().date().getYear());
    if (s.example().format() == DateFormat.SHORT_MONTH_COMMA_YY) {
      year = year.substring(2);
    }
    int lastTwo = written.lastIndexOf(year) + year.length() - 2;
    float[][] attention = s.decoded().attention();
    return argmax(attention[2]) == lastTwo && argmax(attention[3]) == lastTwo + 1;
  }

  private static int argmax(float[] row) {
    int best = 0;
    for (int i = 1; i < row.length; i++) {
      best = row[i] > row[best] ? i : best;
    }
    return best;
  }
}
