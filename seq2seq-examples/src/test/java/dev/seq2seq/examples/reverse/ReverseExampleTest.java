package dev.seq2seq.examples.reverse;

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
 * The reverse example on a small budget (short strings, a small model, 240 steps): it must learn —
 * exact match far above chance (10^-3 for length 3) — print its samples and save its best checkpoint.
 * Not its full target, which the full run reaches in minutes.
 */
class ReverseExampleTest {
  @TempDir
  Path dir;

  @Test
  void learnsToReverseOnEjmlAndSavesItsBestCheckpoint() throws Exception {
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    ReverseExample.Settings quick = new ReverseExample.Settings(4_000, 200, 3, 5, 16, 64, 32, 240, 1e-2, 120, 11);
    ReverseExample.Result r = ReverseExample.run(Backends.get("ejml"), quick,
        new PrintStream(text, true, StandardCharsets.UTF_8), dir.resolve("ckpt"));
    String printed = text.toString(StandardCharsets.UTF_8);
    assertThat(r.heldOutExactMatch()).as("held-out exact match after 240 steps\n%s", printed).isGreaterThan(0.5);
    assertThat(printed).contains("held-out exact match:").contains(" -> ").contains("validation at step 120");
    assertThat(Files.exists(dir.resolve("ckpt").resolve("model.safetensors"))).isTrue();
    for (String png : new String[] {"loss.png", "attention.png"}) {
      assertThat(javax.imageio.ImageIO.read(dir.resolve("ckpt-plots").resolve(png).toFile())).as("a readable %s", png).isNotNull();
    }
    assertThat(r.training().trainLosses().get(239)).isLessThan(r.training().trainLosses().get(0) / 3);
  }
}
