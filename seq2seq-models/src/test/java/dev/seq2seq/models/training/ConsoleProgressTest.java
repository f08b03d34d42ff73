package dev.seq2seq.models.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConsoleProgressTest {
  @Test
  void lineShowsStepBarLossThroughputAndEta() {
    assertThat(ConsoleProgress.line(420, 1000, 0.81234, 12345.4, 47))
        .isEqualTo("step   420/1000 [########............]  loss 0.8123  12,345 tok/s  ETA 0:47");
    assertThat(ConsoleProgress.clock(3725)).isEqualTo("1:02:05");
  }

  @Test
  void redrawsInPlaceAndPrintsValidationsAndTheSummaryOnTheirOwnLines() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ConsoleProgress p = new ConsoleProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8), 4, 2);
    for (int s = 1; s <= 4; s++) {
      p.onStep(new StepResult(s, 1.0, 0.5, 100, 0.01), s * 0.5);
    }
    p.onValidation(4, Map.of("loss", 0.5), true);
    p.onEnd(new TrainingSummary(4, 1, false, 4, Map.of(), List.of(), List.of(), 2.0, 400));
    String text = bytes.toString(StandardCharsets.UTF_8);
    // 0.5 s per step so far, 2 steps left: ETA 0:01
    assertThat(text).startsWith("\rstep     2/4 [##########..........]  loss 1.0000  200 tok/s  ETA 0:01");
    assertThat(text).contains("\rstep     4/4 [####################]");
    assertThat(text).contains("validation at step 4: loss 0.5000  (best so far)");
    assertThat(text).contains("trained 4 steps in 0:02, 200 target tokens/s");
  }
}
