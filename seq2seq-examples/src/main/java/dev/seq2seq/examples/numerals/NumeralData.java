package dev.seq2seq.examples.numerals;

import static com.google.common.base.Preconditions.checkArgument;

import dev.seq2seq.api.random.Rng;
import dev.seq2seq.models.data.EncodedPair;
import dev.seq2seq.models.data.Vocabulary;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The numbers of the {@code numerals} example, drawn reproducibly from a seed, and their encoding as
 * character pairs ({@code "10203" -> "一万零二百零三"}).
 *
 * <p>A number is drawn in three steps, so that short and long numbers and zero runs are all common:
 * its length {@code L} uniformly from {@code 1..maxDigits}; a leading digit uniformly from 1-9
 * (0-9 when {@code L = 1}); then each further digit is 0 with a probability {@code z} drawn per number
 * uniformly from {@code [0.1, 0.7]} (0.1 is what uniform digits give) and uniform over 1-9 otherwise.
 *
 * <p>Training and held-out numbers come from disjoint halves of the number line: a number of four
 * or more digits is <em>held out</em> when a seeded hash of it falls in one tenth of the hash range
 * ({@link #isHeldOut}); numbers below 1000 are never held out (there are only 1,000 of them and a
 * model should see them all). Training draws skip held-out numbers and held-out draws keep only them,
 * so no held-out number is ever trained on, whatever the sizes.
 */
public final class NumeralData {
  /** Source tokens: the digits 0-9 after the specials. */
  public static final Vocabulary DIGITS = Vocabulary.of(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"));

  /** Target tokens: {@link ChineseNumerals#ALPHABET}, one character each, after the specials. */
  public static final Vocabulary NUMERALS = Vocabulary.of(ChineseNumerals.ALPHABET.chars()
      .mapToObj(c -> String.valueOf((char) c)).toList());

  /** The smallest number that can be held out. */
  public static final long SMALLEST_HELD_OUT = 1000;

  private final int maxDigits;
  private final long seed;

  /**
   * @param maxDigits the longest number, {@code 4..12} (so that some numbers can be held out and all
   *     are below {@link ChineseNumerals#LIMIT})
   * @param seed fixes the held-out partition and every draw
   */
  public NumeralData(int maxDigits, long seed) {
    checkArgument(maxDigits >= 4 && maxDigits <= 12, "numerals: max digits %s outside [4, 12]", maxDigits);
    this.maxDigits = maxDigits;
    this.seed = seed;
  }

  /** The longest number's digit count. */
  public int maxDigits() {
    return maxDigits;
  }

  /** Whether {@code n} belongs to the held-out part of the number line (see the class comment). */
  public boolean isHeldOut(long n) {
    if (n < SMALLEST_HELD_OUT) {
      return false;
    }
    return Long.remainderUnsigned(mix(n ^ mix(seed)), 10) == 0;
  }

  /** {@code count} training numbers (repeats allowed, as in the distribution), none held out. */
  public List<Long> training(int count) {
    Rng rng = new Rng(seed).fork(1);
    List<Long> out = new ArrayList<>(count);
    while (out.size() < count) {
      long n = draw(rng);
      if (!isHeldOut(n)) {
        out.add(n);
      }
    }
    return out;
  }

  /**
   * {@code count} distinct held-out numbers, in the order drawn.
   *
   * @throws IllegalArgumentException if {@code count} is over half the expected number of held-out
   *     numbers with at most {@code maxDigits} digits (a tenth of those from 1000 on), which would make
   *     the draws slow or endless
   */
  public List<Long> heldOut(int count) {
    long available = ((long) Math.pow(10, maxDigits) - SMALLEST_HELD_OUT) / 10;
    checkArgument(count <= available / 2, "numerals: %s held-out numbers asked for, but numbers of at most %s digits hold out "
        + "only about %s; ask for at most %s or allow more digits", count, maxDigits, available, available / 2);
    Rng rng = new Rng(seed).fork(2);
    Set<Long> out = new LinkedHashSet<>();
    while (out.size() < count) {
      long n = draw(rng);
      if (isHeldOut(n)) {
        out.add(n);
      }
    }
    return new ArrayList<>(out);
  }

  /** One number from the distribution of the class comment. */
  long draw(Rng rng) {
    int length = 1 + rng.nextInt(maxDigits);
    if (length == 1) {
      return rng.nextInt(10);
    }
    double zeroChance = 0.1 + 0.6 * rng.nextDouble();
    long n = 1 + rng.nextInt(9);
    for (int i = 1; i < length; i++) {
      n = n * 10 + (rng.nextDouble() < zeroChance ? 0 : 1 + rng.nextInt(9));
    }
    return n;
  }

  /** The pair {@code digits of n -> characters of its numeral}, in {@link #DIGITS} and {@link #NUMERALS} ids. */
  public static EncodedPair pair(long n) {
    return new EncodedPair(DIGITS.encode(characters(Long.toString(n))), NUMERALS.encode(characters(ChineseNumerals.of(n))));
  }

  /** The pairs of {@code numbers}, in order. */
  public static List<EncodedPair> pairs(List<Long> numbers) {
    List<EncodedPair> out = new ArrayList<>(numbers.size());
    numbers.forEach(n -> out.add(pair(n)));
    return out;
  }

  /** The longest numeral (in characters) of a number with at most {@code maxDigits} digits. */
  public static int longestNumeral(int maxDigits) {
    // a bound, not the exact maximum: each digit gives at most two characters (a digit and its
    // place unit, or one 零 for a zero) and each four-digit group at most one group unit
    return 2 * maxDigits + (maxDigits + 3) / 4;
  }

  private static List<String> characters(String s) {
    return s.chars().mapToObj(c -> String.valueOf((char) c)).toList();
  }

  /** SplitMix64's finaliser: a bijective mix of all 64 bits. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
