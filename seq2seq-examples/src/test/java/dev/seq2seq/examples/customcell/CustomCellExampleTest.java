package dev.seq2seq.examples.customcell;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seq2seq.api.backend.Backends;
import dev.seq2seq.api.nn.Cell;
import dev.seq2seq.api.random.Rng;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.models.inject.RnnModelConfig;
import dev.seq2seq.models.seq2seq.AttentionStyle;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CustomCellExampleTest {
  @TempDir
  Path dir;

  @Test
  void theComponentResolvesTheCustomCellByNameNextToTheBuiltIns() {
    var factory = CustomCellComponent.on(Backends.get("ejml")).rnnSeq2Seq();
    assertThat(factory.cellNames()).containsExactly("gru", "indrnn", "lstm", "rnn_relu", "rnn_tanh");
    var model = factory.create(new RnnModelConfig("indrnn", AttentionStyle.NONE, null, 6, 6, 4, 5, 1, false, 0, DType.FLOAT32, 1));
    // the decoder's cell is the user's: its recurrent weight is a vector of the hidden size
    assertThat(model.namedParameters().get("decoder.cells.0.weight_hh").shape().toArray()).containsExactly(5);
    Cell cell = CustomCells.indRnn().create(Backends.get("ejml"), DType.FLOAT32, 3, 5, new Rng(1));
    assertThat(cell).isInstanceOf(IndRnnCell.class);
  }

  /**
   * A small budget (strings of 2-4 digits, 240 steps): exact match far above chance (1/10^3 for
   * three digits), and every stage printed.
   */
  @Test
  void theCustomCellLearnsToReverseShortStringsAndSavesItsCheckpointAndPlots() throws Exception {
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    CustomCellExample.Settings quick = new CustomCellExample.Settings(3_000, 200, 2, 4, 16, 48, 32, 240, 1e-2, 120, 3);
    CustomCellExample.Result r = CustomCellExample.run(Backends.get("ejml"), quick, new PrintStream(text, true, StandardCharsets.UTF_8),
        dir.resolve("ckpt"));
    String printed = text.toString(StandardCharsets.UTF_8);
    assertThat(r.exactMatch()).as("exact match after 240 steps\n%s", printed).isGreaterThan(0.5);
    assertThat(r.cells()).contains("indrnn");
    assertThat(printed).contains("1. the cell", "2. registered", "3. built by name", "cell=indrnn", "4. training", "5. greedy decoding",
        "decoder.cells.0.weight_hh");
    assertThat(dir.resolve("ckpt").resolve("model.safetensors")).exists();
    assertThat(new String(java.nio.file.Files.readAllBytes(dir.resolve("ckpt").resolve("config.json")), StandardCharsets.UTF_8))
        .as("the checkpoint names the custom cell, so the model can be rebuilt by name").contains("indrnn");
    for (String png : new String[] {"loss.png", "attention.png"}) {
      assertThat(javax.imageio.ImageIO.read(dir.resolve("ckpt-plots").resolve(png).toFile())).as("a readable %s", png).isNotNull();
    }
  }
}
