package dev.seq2seq.examples.numerals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seq2seq.models.data.EncodedPair;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NumeralDataTest {
  private final NumeralData data = new NumeralData(8, 17);

  @Test
  void theSameSeedGivesTheSameNumbersAndAnotherSeedOthers() {
    NumeralData again = new NumeralData(8, 17);
    assertThat(again.training(2_000)).isEqualTo(data.training(2_000));
    assertThat(again.heldOut(300)).isEqualTo(data.heldOut(300));
    assertThat(new NumeralData(8, 18).training(2_000)).isNotEqualTo(data.training(2_000));
  }

  @Test
  void heldOutNumbersAreDistinctAndNeverTrainedOn() {
    List<Long> heldOut = data.heldOut(1_250);
    List<Long> training = data.training(50_000);
    assertThat(new HashSet<>(heldOut)).hasSize(1_250);
    assertThat(heldOut).allMatch(data::isHeldOut).allMatch(n -> n >= NumeralData.SMALLEST_HELD_OUT);
    Set<Long> trained = new HashSet<>(training);
    assertThat(heldOut).noneMatch(trained::contains);
    // the partition holds out about a tenth of the numbers from 1000 on (binomial sd ~ 0.3 %)
    long count = java.util.stream.LongStream.range(1_000, 101_000).filter(data::isHeldOut).count();
    assertThat(count / 100_000.0).as("held-out fraction of 1000..100999").isBetween(0.09, 0.11);
  }

  @Test
  void trainingCoversEveryLengthAndZeroRuns() {
    List<Long> training = data.training(20_000);
    int[] byLength = new int[9];
    int withInnerZeroRun = 0;
    for (long n : training) {
      assertThat(n).isBetween(0L, 99_999_999L);
      byLength[Long.toString(n).length()]++;
      withInnerZeroRun += Long.toString(n).matches("[1-9].*00.*[1-9].*") ? 1 : 0;
    }
    for (int length = 1; length <= 8; length++) {
      // lengths are uniform (1/8 = 12.5 %); held-out skips shift them by at most ~1.5 points
      assertThat(byLength[length] / 20_000.0).as("share of %d-digit numbers", length).isBetween(0.10, 0.15);
    }
    // with uniform digits two given places are both 0 with probability 1 %, so with at most 5 pairs of
    // inner places per number fewer than 5 % of numbers would have such a run; drawing the zero
    // chance z per number (E[z^2] = 0.19 instead of 0.01) must make it at least twice as common
    assertThat(withInnerZeroRun / 20_000.0).as("share with an inner run of two or more zeros").isGreaterThan(0.10);
  }

  @Test
  void aPairIsTheDigitsAndTheNumeralsCharacters() {
    EncodedPair p = NumeralData.pair(10203);
    assertThat(NumeralData.DIGITS.decode(p.source())).containsExactly("1", "0", "2", "0", "3");
    assertThat(NumeralData.NUMERALS.decode(p.target())).containsExactly("一", "万", "零", "二", "百", "零", "三");
    assertThat(NumeralData.NUMERALS.size()).isEqualTo(4 + ChineseNumerals.ALPHABET.length());
  }

  @Test
  void longestNumeralBoundsEveryNumeralUpToItsLength() {
    for (long n = 0; n < 1_000_000; n++) {
      int digits = Long.toString(n).length();
      assertThat(ChineseNumerals.of(n).length()).as("%s", n).isLessThanOrEqualTo(NumeralData.longestNumeral(digits));
    }
    assertThat(ChineseNumerals.of(90_909_090).length()).isLessThanOrEqualTo(NumeralData.longestNumeral(8));
  }

  @Test
  void maxDigitsOutsideFourToTwelveIsRefused() {
    assertThatThrownBy(() -> new NumeralData(3, 1)).hasMessage("numerals: max digits 3 outside [4, 12]");
    assertThatThrownBy(() -> new NumeralData(13, 1)).hasMessage("numerals: max digits 13 outside [4, 12]");
  }

  @Test
  void askingForMoreHeldOutNumbersThanTheRangeHoldsIsRefused() {
    // 4-digit numbers: 9,000 from 1000 on, a tenth of them held out
    assertThatThrownBy(() -> new NumeralData(4, 1).heldOut(1_250)).hasMessage(
        "numerals: 1250 held-out numbers asked for, but numbers of at most 4 digits hold out only about 900; "
            + "ask for at most 450 or allow more digits");
    assertThat(new NumeralData(4, 1).heldOut(450)).hasSize(450);
  }
}
