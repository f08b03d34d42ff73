package dev.seq2seq.examples.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every configuration trains and decodes its full length in this JVM at tiny sizes on ejml (the
 * child JVM route is covered by the command's test); the figures are only checked to be positive.
 */
class BenchRunnerTest {
  @Test
  void everyConfigurationMeasuresTrainingAndFullLengthDecoding() {
    for (BenchConfig config : BenchConfig.values()) {
      ByteArrayOutputStream log = new ByteArrayOutputStream();
      RunResult r = BenchRunner.run(new RunSpec("ejml", config.key(), "tiny", 2, 0, List.of(3), 7),
          new PrintStream(log, true, StandardCharsets.UTF_8));
      assertThat(r.succeeded()).as("%s: %s", config, r.error()).isTrue();
      assertThat(r.training().runs()).isEqualTo(2);
      assertThat(r.training().min()).as("%s training tokens/s", config).isPositive();
      assertThat(r.greedyAt(3).min()).as("%s greedy sentences/s", config).isPositive();
      assertThat(log.toString(StandardCharsets.UTF_8)).contains(config.description()).contains("greedy decoding, batch 3");
    }
  }
}
