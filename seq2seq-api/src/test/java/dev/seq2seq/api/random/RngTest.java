package dev.seq2seq.api.random;

import static org.assertj.core.api.Assertions.assertThat;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class RngTest {
  @Test
  void sameSeedSameStreamAndStateRestoresIt() {
    Rng a = new Rng(42);
    Rng b = new Rng(42);
    for (int i = 0; i < 100; i++) {
      assertThat(a.nextLong()).isEqualTo(b.nextLong());
    }
    Rng resumed = Rng.restore(a.state());
    assertThat(resumed.nextGaussian()).isEqualTo(a.nextGaussian());
    assertThat(resumed.nextDouble()).isEqualTo(a.nextDouble());
  }

  @Test
  void splitMix64MatchesThePublishedFirstOutputForSeedZero() {
    // SplitMix64 from state 0: the first output is 0xE220A8397B1DCDAF (the reference C code's value).
    assertThat(new Rng(0).nextLong()).isEqualTo(0xE220A8397B1DCDAFL);
  }

  @Test
  void uniformAndNormalHaveTheRightMoments() {
    Rng r = new Rng(7);
    int n = 200_000;
    double sum = 0;
    double sumG = 0;
    double sumG2 = 0;
    for (int i = 0; i < n; i++) {
      double u = r.nextDouble();
      assertThat(u).isGreaterThanOrEqualTo(0).isLessThan(1);
      sum += u;
      double g = r.nextGaussian();
      sumG += g;
      sumG2 += g * g;
    }
    assertThat(sum / n).isCloseTo(0.5, Offset.offset(0.005));
    assertThat(sumG / n).isCloseTo(0.0, Offset.offset(0.01));
    assertThat(sumG2 / n).isCloseTo(1.0, Offset.offset(0.02));
  }

  @Test
  void forksAreIndependentAndDoNotAdvanceTheParent() {
    Rng parent = new Rng(1);
    long before = parent.state();
    Rng f1 = parent.fork(1);
    Rng f2 = parent.fork(2);
    assertThat(parent.state()).isEqualTo(before);
    assertThat(f1.nextLong()).isNotEqualTo(f2.nextLong());
    assertThat(parent.fork(1).nextLong()).isEqualTo(new Rng(1).fork(1).nextLong());
  }
}
