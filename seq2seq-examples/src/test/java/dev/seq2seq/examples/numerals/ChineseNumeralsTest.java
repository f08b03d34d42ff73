package dev.seq2seq.examples.numerals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seq2seq.api.random.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The converter against numerals written out by hand from the conventional rules (the rule numbers
 * refer to the list in {@link ChineseNumerals}); each case says why its numeral is right.
 */
class ChineseNumeralsTest {
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', textBlock = """
      0            | 零                           | zero is written 零 (rule 6)
      1            | 一                           | a single digit, no unit
      9            | 九                           | a single digit, no unit
      10           | 十                           | a leading 一十 drops its 一 (rule 5)
      11           | 十一                         | leading 一十 again, then the ones digit
      20           | 二十                         | the trailing zero is silent (rule 4), only 一 is dropped before 十
      99           | 九十九                       | digit + 十, then the ones digit
      100          | 一百                         | two trailing zeros are silent; 一 is kept before 百
      101          | 一百零一                     | an inner zero is read 零 (rule 3)
      110          | 一百一十                     | 一十 inside a number keeps its 一 (rule 5)
      111          | 一百一十一                   | as above, with a ones digit
      1000         | 一千                         | three trailing zeros are silent
      1001         | 一千零一                     | a run of two inner zeros is one 零 (rule 3)
      1010         | 一千零一十                   | one 零 for the hundreds, 一十 kept inside
      1100         | 一千一百                     | trailing zeros silent
      2002         | 二千零二                     | 二 (not 两) before 千 (rule 2), one 零 for the run
      10000        | 一万                         | a zero group is not read, nor its zeros (rule 1)
      10001        | 一万零一                     | zeros 0001 across the group boundary: one 零 (rule 3)
      10010        | 一万零一十                   | one 零 for 0 0, then 一十 inside the number
      10203        | 一万零二百零三               | the brief's example: two separate zero runs, two 零
      11000        | 一万一千                     | the lower group starts with a non-zero thousands digit: no 零
      100000       | 十万                         | the first group is 10: 十 for 一十 (rule 5), the zero group is silent
      100010       | 十万零一十                   | leading 十万, then 零 for the zeros and 一十 inside the number
      110000       | 十一万                       | the first group is 11
      1000000      | 一百万                       | the first group is 100: 一百, then 万
      1000100      | 一百万零一百                 | the lower group 0100 begins with zeros: 零 (rule 3)
      1001000      | 一百万一千                   | zeros ending the 万 group are covered by 万, and 1000 starts non-zero: no 零 (rule 3)
      1010000      | 一百零一万                   | an inner zero of the 万 group, whose unit comes after it
      10000000     | 一千万                       | the largest power of ten below 10^8
      10010000     | 一千零一万                   | inner zero run of the 万 group
      20000002     | 二千万零二                   | the lower group 0002: one 零
      12345678     | 一千二百三十四万五千六百七十八 | every place read with its unit
      99999999     | 九千九百九十九万九千九百九十九 | the largest 8-digit number
      100000000    | 一亿                         | two zero groups: nothing after 亿 (rule 1)
      100000001    | 一亿零一                     | a zero group and the zeros of 0001 are one run: one 零 (rule 3)
      100001000    | 一亿零一千                   | the zero 万 group lies between 亿 and 千: one 零 (rule 3)
      100100000    | 一亿零一十万                 | the 万 group 0010: 零, and 一十 is inside the number
      101000000    | 一亿零一百万                 | the 万 group 0100 begins with zeros: 零
      110000000    | 一亿一千万                   | the 万 group 1000 begins non-zero: no 零
      1000000000   | 十亿                         | the first group is 10: 十 (rule 5)
      999999999999 | 九千九百九十九亿九千九百九十九万九千九百九十九 | the largest number written
      """)
  void writesTheConventionalNumeral(long n, String numeral, String why) {
    assertThat(ChineseNumerals.of(n)).as("%s (%s)", n, why).isEqualTo(numeral);
  }

  /** Properties every numeral has, checked on random numbers of every length. */
  @Test
  void numeralsUseTheAlphabetHaveNoDoubleOrTrailingZeroAndNoLeadingYiShi() {
    Rng rng = new Rng(5);
    for (int i = 0; i < 20_000; i++) {
      long n = (long) (rng.nextDouble() * Math.pow(10, 1 + rng.nextInt(12)));
      String s = ChineseNumerals.of(n);
      assertThat(s.chars()).as("%s -> %s", n, s).allMatch(c -> ChineseNumerals.ALPHABET.indexOf(c) >= 0);
      assertThat(s).as("%s", n).doesNotContain("零零").doesNotStartWith("一十");
      if (n > 0) {
        assertThat(s).as("%s", n).doesNotEndWith("零").doesNotStartWith("零");
      }
      // every non-zero digit of n is written once, in order, as its character
      String nonZeroDigits = Long.toString(n).replace("0", "");
      StringBuilder written = new StringBuilder();
      s.chars().filter(c -> "一二三四五六七八九".indexOf(c) >= 0).forEach(c -> written.append(1 + "一二三四五六七八九".indexOf(c)));
      String expected = s.startsWith("十") ? nonZeroDigits.substring(1) : nonZeroDigits;
      assertThat(written.toString()).as("%s -> %s: digits in order", n, s).isEqualTo(expected);
    }
  }

  @Test
  void numbersOutsideTheRangeAreRefusedWithTheRange() {
    assertThatThrownBy(() -> ChineseNumerals.of(-1)).hasMessage("chinese numerals: -1 is outside [0, 1000000000000)");
    assertThatThrownBy(() -> ChineseNumerals.of(ChineseNumerals.LIMIT))
        .hasMessage("chinese numerals: 1000000000000 is outside [0, 1000000000000)");
  }
}
