package dev.seq2seq.examples.numerals;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seq2seq.api.backend.Backends;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The numerals example on a small budget (numbers of 1-4 digits, a one-layer Transformer of width
 * 32, a few hundred steps): it must learn — held-out exact match far above chance, which is about
 * 0 for strings of 4-8 characters over 19 tokens — print its samples, save its best checkpoint with
 * both vocabularies and return samples with attention. Not its full target, which the full run
 * reaches in minutes.
 */
class NumeralsExampleTest {
  @TempDir
  Path dir;

  @Test
  void learnsChineseNumeralsOnEjmlAndSavesItsBestCheckpoint() throws Exception {
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    NumeralsExample.Settings quick = new NumeralsExample.Settings(5_000, 100, 200, 4, 32, 4, 1, 64, 64, STEPS, 5e-3, 50,
        STEPS / 2, 3, 3);
    NumeralsExample.Result r = NumeralsExample.run(Backends.get("ejml"), quick,
        new PrintStream(text, true, StandardCharsets.UTF_8), dir.resolve("ckpt"));
    String printed = text.toString(StandardCharsets.UTF_8);
    assertThat(r.heldOutExactMatch()).as("held-out exact match after %d steps\n%s", STEPS, printed).isGreaterThan(0.3);
    assertThat(printed).contains("held-out exact match:").contains(" -> ").contains("validation at step " + STEPS / 2);
    for (String png : new String[] {"loss.png", "attention.png"}) {
      assertThat(javax.imageio.ImageIO.read(dir.resolve("ckpt-plots").resolve(png).toFile())).as("a readable %s", png).isNotNull();
    }
    assertThat(Files.exists(dir.resolve("ckpt").resolve("model.safetensors"))).isTrue();
    assertThat(Files.exists(dir.resolve("ckpt").resolve("vocab.numerals.json"))).isTrue();
    assertThat(r.samples()).hasSize(3).allSatisfy(s -> {
      assertThat(s.number()).isGreaterThanOrEqualTo(NumeralData.SMALLEST_HELD_OUT);
      assertThat(String.join("", s.expected())).isEqualTo(ChineseNumerals.of(s.number()));
      // a row of weights over the source digits per decoder step (the <eos> step too, when reached)
      assertThat(s.decoded().attention().length).isBetween(s.decoded().tokens().length, s.decoded().tokens().length + 1);
      assertThat(s.decoded().attention()[0]).hasSize(s.source().size());
    });
    assertThat(r.training().trainLosses().get(STEPS - 1)).isLessThan(r.training().trainLosses().get(0) / 3);
  }

  private static final int STEPS = 450;
}
