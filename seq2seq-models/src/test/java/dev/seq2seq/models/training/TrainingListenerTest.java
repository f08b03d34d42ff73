package dev.seq2seq.models.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainingListenerTest {
  @Test
  void allPassesEveryEventToEachListenerInOrder() {
    List<String> seen = new ArrayList<>();
    TrainingListener first = recorder("first", seen);
    TrainingListener second = recorder("second", seen);
    TrainingListener all = TrainingListener.all(List.of(first, second));
    all.onStep(new StepResult(1, 0.5, 1.0, 10, 1e-3), 0.1);
    all.onValidation(1, Map.of("exact_match", 0.25), true);
    all.onEnd(new TrainingSummary(1, 1, false, 1, Map.of(), List.of(0.5), List.of(), 0.1, 10));
    assertThat(seen).containsExactly("first step 1", "second step 1", "first validation 1 best", "second validation 1 best",
        "first end 1", "second end 1");
  }

  private static TrainingListener recorder(String name, List<String> seen) {
    return new TrainingListener() {
      @Override
      public void onStep(StepResult result, double seconds) {
        seen.add(name + " step " + result.step());
      }

      @Override
      public void onValidation(long step, Map<String, Double> metrics, boolean best) {
        seen.add(name + " validation " + step + (best ? " best" : ""));
      }

      @Override
      public void onEnd(TrainingSummary summary) {
        seen.add(name + " end " + summary.steps());
      }
    };
  }
}
