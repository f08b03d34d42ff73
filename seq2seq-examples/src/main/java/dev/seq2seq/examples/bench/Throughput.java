package dev.seq2seq.examples.bench;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Arrays;

/**
 * A rate measured over repeated runs: median, minimum and maximum of the per-run rates
 * ({@code units / seconds} of each run), and how many runs there were.
 *
 * <p>The median of an even number of runs is the mean of the two middle rates.
 */
public record Throughput(double median, double min, double max, int runs) {
  /** The summary of per-run rates (at least one, all finite and positive). */
  public static Throughput of(double[] rates) {
    checkArgument(rates.length > 0, "throughput: no runs");
    double[] sorted = rates.clone();
    Arrays.sort(sorted);
    checkArgument(Double.isFinite(sorted[sorted.length - 1]) && sorted[0] > 0,
        "throughput: rates must be finite and positive, got %s", Arrays.toString(rates));
    int n = sorted.length;
    double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    return new Throughput(median, sorted[0], sorted[n - 1], n);
  }

  /** {@code units / seconds} for a run of {@code nanos} nanoseconds. */
  static double rate(double units, long nanos) {
    return units / (Math.max(nanos, 1) / 1e9);
  }
}
