package dev.seq2seq.examples.bench;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.List;

/**
 * What one child JVM measures: one backend and one configuration.
 *
 * @param backend the backend's name
 * @param config the configuration's key ({@code a}, {@code b} or {@code c})
 * @param sizes the {@link BenchSizes} name
 * @param steps measured training steps, and measured decoding runs per batch size
 * @param warmup unmeasured training steps before them, and unmeasured decoding runs per batch size
 * @param decodeBatches the greedy decoding batch sizes
 * @param seed the seed of weights and data
 */
public record RunSpec(String backend, String config, String sizes, int steps, int warmup, List<Integer> decodeBatches, long seed) {
  /** Checks the counts. */
  public RunSpec {
    checkArgument(steps >= 1, "--steps must be at least 1, got %s", steps);
    checkArgument(warmup >= 0, "--warmup must be 0 or more, got %s", warmup);
    checkArgument(decodeBatches != null && !decodeBatches.isEmpty(), "--decode-batches needs at least one batch size");
    for (int b : decodeBatches) {
      checkArgument(b >= 1, "--decode-batches needs batch sizes of at least 1, got %s", b);
    }
    decodeBatches = List.copyOf(decodeBatches);
  }
}
