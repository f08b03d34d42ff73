package dev.seq2seq.examples.bench;

import java.util.Map;
import java.util.OptionalDouble;

/**
 * The figures PyTorch 1.13 reached on the same three configurations at the {@link BenchSizes#STANDARD}
 * sizes: CPU, 2 threads, measured 2026-11-22 (training: forward, backward and an Adam step without
 * clipping; greedy decoding of 20 steps).
 */
public final class PyTorchReference {
  /** Where the figures come from. */
  public static final String LABEL = "PyTorch 1.13 CPU, 2 threads (2026-11-22)";

  private static final Map<BenchConfig, Double> TRAINING = Map.of(
      BenchConfig.A, 10_800.0, BenchConfig.B, 9_050.0, BenchConfig.C, 16_100.0);
  private static final Map<Integer, Map<BenchConfig, Double>> GREEDY = Map.of(
      64, Map.of(BenchConfig.A, 1_550.0, BenchConfig.B, 1_150.0, BenchConfig.C, 330.0),
      1, Map.of(BenchConfig.A, 275.0, BenchConfig.B, 185.0, BenchConfig.C, 65.0));

  private PyTorchReference() {}

  /** Training target tokens per second of {@code config}. */
  public static double trainingTokensPerSecond(BenchConfig config) {
    return TRAINING.get(config);
  }

  /** Greedy decoding sentences per second of {@code config} at batch size {@code batch}, if measured (64 and 1). */
  public static OptionalDouble greedySentencesPerSecond(BenchConfig config, int batch) {
    Map<BenchConfig, Double> byConfig = GREEDY.get(batch);
    return byConfig == null ? OptionalDouble.empty() : OptionalDouble.of(byConfig.get(config));
  }
}
