package dev.seq2seq.api.conformance;

/**
 * An accuracy bound: a value passes if its absolute error is at most {@code absolute} or its
 * relative error (to the larger magnitude) is at most {@code relative}.
 */
public final class Tolerance {
  private final double relative;
  private final double absolute;

  public Tolerance(double relative, double absolute) {
    this.relative = relative;
    this.absolute = absolute;
  }

  public double relative() {
    return relative;
  }

  public double absolute() {
    return absolute;
  }

  /** Whether {@code actual} is within this tolerance of {@code expected} (NaN matches only NaN). */
  public boolean accepts(double actual, double expected) {
    if (Double.isNaN(expected) || Double.isNaN(actual)) {
      return Double.isNaN(expected) && Double.isNaN(actual);
    }
    if (Double.isInfinite(expected) || Double.isInfinite(actual)) {
      return actual == expected;
    }
    double err = Math.abs(actual - expected);
    return err <= absolute || err <= relative * Math.max(Math.abs(actual), Math.abs(expected));
  }

  @Override
  public String toString() {
    return "rel " + relative + " / abs " + absolute;
  }
}
