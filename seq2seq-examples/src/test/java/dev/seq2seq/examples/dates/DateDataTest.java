package dev.seq2seq.examples.dates;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DateDataTest {
  private static final LocalDate MARCH_3_1998 = LocalDate.of(1998, 3, 3); // a Tuesday

  @Test
  void eachFormatRendersHandCheckedDates() {
    assertEquals("3rd of March 1998", DateFormat.ORDINAL_OF_MONTH.render(MARCH_3_1998));
    assertEquals("Mar 3, 98", DateFormat.SHORT_MONTH_COMMA_YY.render(MARCH_3_1998));
    assertEquals("Jan 1, 05", DateFormat.SHORT_MONTH_COMMA_YY.render(LocalDate.of(2005, 1, 1)));
    assertEquals("03/03/1998", DateFormat.SLASHED_DMY.render(MARCH_3_1998));
    assertEquals("Tuesday 3 March 1998", DateFormat.WEEKDAY_DAY_MONTH.render(MARCH_3_1998));
    assertEquals("Saturday 1 January 2000", DateFormat.WEEKDAY_DAY_MONTH.render(LocalDate.of(2000, 1, 1)));
    assertEquals("1998.3.3", DateFormat.DOTTED_YMD.render(MARCH_3_1998));
    assertEquals("March 3rd, 1998", DateFormat.MONTH_ORDINAL_COMMA.render(MARCH_3_1998));
    assertEquals("3 Mar 1998", DateFormat.DAY_SHORT_MONTH.render(MARCH_3_1998));
    assertEquals("Tue, Mar 3 1998", DateFormat.SHORT_WEEKDAY_SHORT_MONTH.render(MARCH_3_1998));
    assertEquals("Fri, Dec 31 1999", DateFormat.SHORT_WEEKDAY_SHORT_MONTH.render(LocalDate.of(1999, 12, 31)));
    assertEquals("3-mar-1998", DateFormat.DASHED_LOWER.render(MARCH_3_1998));
  }

  @Test
  void ordinalSuffixes() {
    int[] days = {1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 31};
    String[] expected = {"1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd", "31st"};
    for (int i = 0; i < days.length; i++) {
      assertEquals(expected[i], DateFormat.ordinal(days[i]));
    }
  }

  @Test
  void deterministicFromSeed() {
    assertEquals(new DateData(7).training(50), new DateData(7).training(50));
    assertEquals(new DateData(7).heldOut(50), new DateData(7).heldOut(50));
    assertFalse(new DateData(7).training(50).equals(new DateData(8).training(50)), "another seed draws other dates");
  }

  @Test
  void heldOutDisjointFromTraining() {
    DateData data = new DateData(3);
    List<DateData.Example> heldOut = data.heldOut(1000);
    Set<LocalDate> heldDays = new HashSet<>();
    heldOut.forEach(e -> heldDays.add(e.date()));
    assertEquals(1000, heldDays.size(), "held-out days are distinct");
    for (DateData.Example e : data.training(20_000)) {
      assertFalse(heldDays.contains(e.date()), "training date " + e.date() + " is held out");
      assertTrue(!e.date().isBefore(DateData.FIRST) && !e.date().isAfter(DateData.LAST));
      assertEquals(e.date().toString(), e.target());
    }
  }
}
