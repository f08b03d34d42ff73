package dev.seq2seq.models.training;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/**
 * A one-line console progress bar for a {@link Trainer}: redrawn in place ({@code \r}) with the
 * step, a bar, the loss (an exponential moving average over ~20 steps), target tokens per second
 * and the estimated time left; validations and the final summary print on their own lines.
 *
 * <pre>  step  420/1000 [########............]  loss 0.8123  12,345 tok/s  ETA 0:47</pre>
 */
public final class ConsoleProgress implements TrainingListener {
  private static final int WIDTH = 20;

  private final PrintStream out;
  private final long totalSteps;
  private final long redrawEvery;
  private double smoothedLoss = Double.NaN;
  private long tokens;
  private long steps;

  /**
   * @param totalSteps the step budget, for the bar and the ETA
   * @param redrawEvery redraw every this many steps (1 for every step)
   */
  public ConsoleProgress(PrintStream out, long totalSteps, long redrawEvery) {
    this.out = out;
    this.totalSteps = Math.max(1, totalSteps);
    this.redrawEvery = Math.max(1, redrawEvery);
  }

  @Override
  public void onStep(StepResult r, double seconds) {
    steps++;
    tokens += r.targetTokens();
    smoothedLoss = Double.isNaN(smoothedLoss) ? r.loss() : 0.95 * smoothedLoss + 0.05 * r.loss();
    if (steps % redrawEvery == 0 || steps == totalSteps) {
      out.print("\r" + line(steps, totalSteps, smoothedLoss, seconds > 0 ? tokens / seconds : 0,
          seconds / steps * Math.max(0, totalSteps - steps)));
      out.flush();
    }
  }

  @Override
  public void onValidation(long step, Map<String, Double> metrics, boolean best) {
    StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%n  validation at step %d:", step));
    metrics.forEach((k, v) -> b.append(String.format(Locale.ROOT, " %s %.4f", k, v)));
    out.println(b.append(best ? "  (best so far)" : ""));
  }

  @Override
  public void onEnd(TrainingSummary s) {
    out.printf(Locale.ROOT, "%ntrained %d steps in %s, %,.0f target tokens/s%s%n", s.steps(), clock(s.seconds()),
        s.tokensPerSecond(), s.stoppedEarly() ? " (stopped early)" : "");
  }

  /** The progress line for the given figures (no carriage return). */
  static String line(long step, long total, double loss, double tokensPerSecond, double secondsLeft) {
    int filled = (int) Math.min(WIDTH, WIDTH * step / total);
    return String.format(Locale.ROOT, "step %5d/%d [%s%s]  loss %.4f  %,.0f tok/s  ETA %s", step, total,
        "#".repeat(filled), ".".repeat(WIDTH - filled), loss, tokensPerSecond, clock(secondsLeft));
  }

  /** {@code h:mm:ss} or {@code m:ss}. */
  static String clock(double seconds) {
    long s = Math.round(seconds);
    return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
        : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }
}
