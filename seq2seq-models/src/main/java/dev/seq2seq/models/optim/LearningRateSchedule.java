package dev.seq2seq.models.optim;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * The learning rate as a function of the 1-based step number.
 *
 * <ul>
 *   <li>{@link #constant}: {@code lr}
 *   <li>{@link #stepDecay}: {@code lr * gamma^floor((step - 1) / every)}
 *   <li>{@link #warmupInverseSqrt}: {@code peak * min(step / warmup, sqrt(warmup / step))} — linear
 *       warm-up to {@code peak} at {@code step = warmup}, then inverse square-root decay ("Attention
 *       Is All You Need", section 5.3, with {@code peak = d_model^-0.5 * warmup^-0.5})
 * </ul>
 */
@FunctionalInterface
public interface LearningRateSchedule {
  /** The rate for step {@code step >= 1}. */
  double rate(long step);

  /** A constant rate. */
  static LearningRateSchedule constant(double lr) {
    checkArgument(lr > 0, "schedule: learning rate %s must be positive", lr);
    return step -> lr;
  }

  /** Multiplies the rate by {@code gamma} every {@code every} steps. */
  static LearningRateSchedule stepDecay(double lr, double gamma, long every) {
    checkArgument(lr > 0 && gamma > 0 && every > 0, "schedule: step decay needs lr, gamma, every > 0, got %s, %s, %s", lr, gamma, (Long) every);
    return step -> lr * Math.pow(gamma, Math.floorDiv(Math.max(step, 1) - 1, every));
  }

  /** Linear warm-up to {@code peak} over {@code warmup} steps, then {@code 1/sqrt(step)} decay. */
  static LearningRateSchedule warmupInverseSqrt(double peak, long warmup) {
    checkArgument(peak > 0 && warmup > 0, "schedule: warm-up needs peak > 0 and warmup > 0, got %s, %s", (Object) peak, (Object) warmup);
    return step -> {
      double s = Math.max(step, 1);
      return peak * Math.min(s / warmup, Math.sqrt(warmup / s));
    };
  }
}
