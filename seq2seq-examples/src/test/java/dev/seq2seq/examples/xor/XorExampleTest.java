package dev.seq2seq.examples.xor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seq2seq.api.backend.Backends;
import java.util.List;
import org.junit.jupiter.api.Test;

class XorExampleTest {
  @Test
  void aTwoLayerMlpLearnsXorWithSgdOnEjml() {
    List<Double> losses = XorExample.train(Backends.get("ejml"), 1, 2000, 1.0, (loss, step) -> {});
    assertThat(losses.get(0)).as("initial loss near ln 2").isGreaterThan(0.5);
    assertThat(losses.get(losses.size() - 1)).as("final loss").isLessThan(0.01);
  }
}
