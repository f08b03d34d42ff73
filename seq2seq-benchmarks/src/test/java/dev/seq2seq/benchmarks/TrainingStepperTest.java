package dev.seq2seq.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TrainingStepperTest {
  @Test
  void aStepperTrainsItsConfigurationStepByStep() {
    TrainingStepper stepper = new TrainingStepper("c", 1);
    assertThat(stepper.stepSeconds()).isPositive();
    assertThat(stepper.stepSeconds()).isPositive();
    assertThat(TrainingStepper.targetTokensPerStep()).isEqualTo(64 * 20);
  }

  @Test
  void aNegativeCycleIsRefusedSayingWhatIsExpected() {
    assertThatThrownBy(() -> new TrainingStepper("a", -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cycle must be 0 (fresh batches) or a number of batches to repeat, got -1");
  }
}
