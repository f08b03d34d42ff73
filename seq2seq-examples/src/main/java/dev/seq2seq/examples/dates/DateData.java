package dev.seq2seq.examples.dates;

import static com.google.common.base.Preconditions.checkArgument;

import dev.seq2seq.api.random.Rng;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The dates of the {@code dates} example, drawn reproducibly from a seed: a day uniformly from
 * {@link #FIRST}..{@link #LAST} and a {@link DateFormat} uniformly.
 *
 * <p>A day is <em>held out</em> when a seeded hash of its epoch day falls in one tenth of the hash
 * range ({@link #isHeldOut}); training draws skip held-out days and held-out draws keep only them, so
 * no held-out day is ever trained on, in any format.
 */
public final class DateData {
  /** The earliest date drawn. */
  public static final LocalDate FIRST = LocalDate.of(1950, 1, 1);
  /** The latest date drawn. */
  public static final LocalDate LAST = LocalDate.of(2049, 12, 31);

  /** The most held-out examples {@link #heldOut} gives. */
  public static final int MAX_HELD_OUT = 1_500;

  /** A written date and its ISO 8601 form ({@code "3 Mar 1998" -> "1998-03-03"}). */
  public record Example(LocalDate date, DateFormat format, String source, String target) {}

  private final long seed;

  /** @param seed fixes the held-out partition and every draw */
  public DateData(long seed) {
    this.seed = seed;
  }

  /** Whether {@code date} belongs to the held-out days. */
  public boolean isHeldOut(LocalDate date) {
    return Long.remainderUnsigned(mix(date.toEpochDay() ^ mix(seed)), 10) == 0;
  }

  /** {@code count} training examples (repeats allowed), none on a held-out day. */
  public List<Example> training(int count) {
    Rng rng = new Rng(seed).fork(1);
    List<Example> out = new ArrayList<>(count);
    while (out.size() < count) {
      Example e = draw(rng);
      if (!isHeldOut(e.date())) {
        out.add(e);
      }
    }
    return out;
  }

  /**
   * {@code count} held-out examples on distinct days, at most {@link #MAX_HELD_OUT} (about 3,650 days
   * are held out; asking for at most 1,500 of them keeps the draw quick).
   */
  public List<Example> heldOut(int count) {
    checkArgument(count >= 0 && count <= MAX_HELD_OUT, "dates: %s held-out dates asked for; expected 0..%s", count,
        MAX_HELD_OUT);
    Rng rng = new Rng(seed).fork(2);
    Set<LocalDate> days = new LinkedHashSet<>();
    List<Example> out = new ArrayList<>(count);
    while (out.size() < count) {
      Example e = draw(rng);
      if (isHeldOut(e.date()) && days.add(e.date())) {
        out.add(e);
      }
    }
    return out;
  }

  private static Example draw(Rng rng) {
    long span = LAST.toEpochDay() - FIRST.toEpochDay() + 1;
    LocalDate date = LocalDate.ofEpochDay(FIRST.toEpochDay() + rng.nextInt((int) span));
    DateFormat format = DateFormat.values()[rng.nextInt(DateFormat.values().length)];
    return new Example(date, format, format.render(date), date.toString());
  }

  /** SplitMix64's finaliser: a bijective mix of all 64 bits. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
