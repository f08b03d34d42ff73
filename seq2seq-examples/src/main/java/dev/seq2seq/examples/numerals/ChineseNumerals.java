package dev.seq2seq.examples.numerals;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * Writes a non-negative integer below one trillion ({@code 10^12}) in Chinese numerals, as it is
 * conventionally read and written: {@code 10203 -> 一万零二百零三}.
 *
 * <p>The rules, in order:
 *
 * <ol>
 *   <li>The number is cut into groups of four digits from the right; the groups are read with the
 *       units {@code 亿} (10^8), {@code 万} (10^4) and none. A group that is all zeros is not read and
 *       its unit is left out ({@code 100000000 -> 一亿}, not {@code 一亿零万}).
 *   <li>Inside a group, each non-zero digit is read with its place unit {@code 千 百 十} (none for
 *       ones); digits are {@code 一二三四五六七八九} ({@code 二}, not the colloquial {@code 两}).
 *   <li>A run of zeros between two digits that are read becomes one {@code 零}, also across group
 *       boundaries ({@code 1001 -> 一千零一}, {@code 10203 -> 一万零二百零三},
 *       {@code 100000001 -> 一亿零一}) — except zeros at the end of a group, which its unit already
 *       accounts for, when the next group begins with a non-zero thousands digit
 *       ({@code 1001000 -> 一百万一千}, but {@code 1000100 -> 一百万零一百}).
 *   <li>Zeros at the end of the number are never read ({@code 1200 -> 一千二百}).
 *   <li>A number whose first group is 10-19 drops the leading {@code 一} of {@code 一十}
 *       ({@code 10 -> 十}, {@code 15 -> 十五}, {@code 100000 -> 十万}); inside a number the
 *       {@code 一十} stays ({@code 110 -> 一百一十}, {@code 100010 -> 十万零一十}).
 *   <li>{@code 0 -> 零}.
 * </ol>
 */
public final class ChineseNumerals {
  /** Numbers must be below this: {@code 9999亿9999万9999} is the largest. */
  public static final long LIMIT = 1_000_000_000_000L;

  /** Every character a numeral can contain: the digits 零-九, then 十 百 千 万 亿. */
  public static final String ALPHABET = "零一二三四五六七八九十百千万亿";

  private static final String DIGITS = "零一二三四五六七八九";
  private static final char[] PLACE = {'千', '百', '十'};
  private static final String[] GROUP_UNIT = {"亿", "万", ""};

  private ChineseNumerals() {}

  /**
   * The Chinese numeral of {@code n}.
   *
   * @throws IllegalArgumentException if {@code n} is negative or not below {@link #LIMIT}
   */
  public static String of(long n) {
    checkArgument(n >= 0 && n < LIMIT, "chinese numerals: %s is outside [0, %s)", n, LIMIT);
    if (n == 0) {
      return "零";
    }
    int[] groups = {(int) (n / 100_000_000L), (int) (n / 10_000L % 10_000L), (int) (n % 10_000L)};
    StringBuilder out = new StringBuilder();
    boolean zerosPending = false;
    for (int g = 0; g < groups.length; g++) {
      int value = groups[g];
      if (value == 0) {
        zerosPending = out.length() > 0;
        continue;
      }
      if (out.length() > 0 && (zerosPending || value < 1000)) {
        out.append('零');
      }
      appendGroup(out, value);
      out.append(GROUP_UNIT[g]);
      zerosPending = false;
    }
    if (out.length() >= 2 && out.charAt(0) == '一' && out.charAt(1) == '十') {
      out.deleteCharAt(0);
    }
    return out.toString();
  }

  /** Appends a group {@code 1..9999} without its leading zeros: inner zero runs as one 零, trailing zeros silent. */
  private static void appendGroup(StringBuilder out, int value) {
    int[] digits = {value / 1000, value / 100 % 10, value / 10 % 10, value % 10};
    boolean started = false;
    boolean zeroRun = false;
    for (int i = 0; i < 4; i++) {
      int d = digits[i];
      if (d == 0) {
        zeroRun = started;
        continue;
      }
      if (zeroRun) {
        out.append('零');
        zeroRun = false;
      }
      out.append(DIGITS.charAt(d));
      if (i < 3) {
        out.append(PLACE[i]);
      }
      started = true;
    }
  }
}
