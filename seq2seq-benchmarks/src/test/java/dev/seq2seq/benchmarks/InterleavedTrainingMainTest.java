package dev.seq2seq.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InterleavedTrainingMainTest {
  @Test
  void quantilesAreTheNearestRanksBelowAndLeaveTheValuesInOrder() {
    double[] ratios = {1.05, 0.97, 1.10, 0.99, 1.01};
    assertThat(InterleavedTrainingMain.quantile(ratios, 0.5)).isEqualTo(1.01);
    assertThat(InterleavedTrainingMain.quantile(ratios, 0.25)).isEqualTo(0.99);
    assertThat(InterleavedTrainingMain.quantile(ratios, 0.75)).isEqualTo(1.05);
    assertThat(InterleavedTrainingMain.quantile(new double[] {2.0, 1.0}, 0.5)).isEqualTo(1.0);
    assertThat(ratios).containsExactly(1.05, 0.97, 1.10, 0.99, 1.01);
  }
}
