package dev.seq2seq.examples.dates;

import java.time.LocalDate;
import java.time.format.TextStyle;
import java.util.Locale;
import java.util.function.Function;

/**
 * The human ways of writing a date that the {@code dates} example reads; each renders a
 * {@link LocalDate} in English (weekdays from {@link LocalDate#getDayOfWeek()}).
 */
public enum DateFormat {
  /** {@code 3rd of March 1998}. */
  ORDINAL_OF_MONTH(d -> ordinal(d.getDayOfMonth()) + " of " + month(d) + " " + d.getYear()),
  /** {@code Mar 3, 98}. */
  SHORT_MONTH_COMMA_YY(d -> shortMonth(d) + " " + d.getDayOfMonth() + ", " + twoDigits(d.getYear() % 100)),
  /** {@code 03/03/1998} (day first). */
  SLASHED_DMY(d -> twoDigits(d.getDayOfMonth()) + "/" + twoDigits(d.getMonthValue()) + "/" + d.getYear()),
  /** {@code Tuesday 3 March 1998}. */
  WEEKDAY_DAY_MONTH(d -> d.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH) + " " + d.getDayOfMonth()
      + " " + month(d) + " " + d.getYear()),
  /** {@code 1998.3.3}. */
  DOTTED_YMD(d -> d.getYear() + "." + d.getMonthValue() + "." + d.getDayOfMonth()),
  /** {@code March 3rd, 1998}. */
  MONTH_ORDINAL_COMMA(d -> month(d) + " " + ordinal(d.getDayOfMonth()) + ", " + d.getYear()),
  /** {@code 3 Mar 1998}. */
  DAY_SHORT_MONTH(d -> d.getDayOfMonth() + " " + shortMonth(d) + " " + d.getYear()),
  /** {@code Tue, Mar 3 1998}. */
  SHORT_WEEKDAY_SHORT_MONTH(d -> d.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ENGLISH) + ", "
      + shortMonth(d) + " " + d.getDayOfMonth() + " " + d.getYear()),
  /** {@code 3-mar-1998}. */
  DASHED_LOWER(d -> d.getDayOfMonth() + "-" + shortMonth(d).toLowerCase(Locale.ROOT) + "-" + d.getYear());

  private final Function<LocalDate, String> render;

  DateFormat(Function<LocalDate, String> render) {
    this.render = render;
  }

  /** {@code date} written this way. */
  public String render(LocalDate date) {
    return render.apply(date);
  }

  /** {@code n} with its English ordinal suffix: 1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st, ... */
  static String ordinal(int n) {
    int lastTwo = n % 100;
    String suffix = lastTwo >= 11 && lastTwo <= 13 ? "th" : switch (n % 10) {
      case 1 -> "st";
      case 2 -> "nd";
      case 3 -> "rd";
      default -> "th";
    };
    return n + suffix;
  }

  private static String month(LocalDate d) {
    return d.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH);
  }

  private static String shortMonth(LocalDate d) {
    return d.getMonth().getDisplayName(TextStyle.SHORT, Locale.ENGLISH);
  }

  private static String twoDigits(int n) {
    return n < 10 ? "0" + n : Integer.toString(n);
  }
}
