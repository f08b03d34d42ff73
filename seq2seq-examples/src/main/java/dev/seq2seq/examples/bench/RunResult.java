package dev.seq2seq.examples.bench;

import java.util.List;

/**
 * What one child JVM measured (or why it failed).
 *
 * @param spec what was asked
 * @param backendDescription the backend's {@code description()} (library, GEMM, device)
 * @param compiledTraining whether training steps ran compiled ({@code TrainingStep.compile()} on a {@code Compiler})
 * @param training target tokens per second of the measured training steps
 * @param greedy sentences per second of greedy decoding, one entry per decoding batch size
 * @param peakRssMiB the child's peak resident set size ({@code VmHWM}), MiB; negative if unknown
 * @param peakHeapMiB the child's peak Java heap use (garbage included), MiB
 * @param peakHeapAfterGcMiB the child's largest heap use right after a collection (a bound on live data), MiB
 * @param error null on success, else what went wrong
 */
public record RunResult(RunSpec spec, String backendDescription, boolean compiledTraining, Throughput training,
    List<GreedyThroughput> greedy, double peakRssMiB, double peakHeapMiB, double peakHeapAfterGcMiB, String error) {

  /** Greedy decoding throughput at one batch size. */
  public record GreedyThroughput(int batch, Throughput sentencesPerSecond) {}

  /** A failed run. */
  public static RunResult failed(RunSpec spec, String error) {
    return new RunResult(spec, null, false, null, List.of(), -1, -1, -1, error);
  }

  /** Whether the run measured everything. */
  public boolean succeeded() {
    return error == null;
  }

  /** The greedy throughput at {@code batch}, or null if not measured. */
  public Throughput greedyAt(int batch) {
    return greedy.stream().filter(g -> g.batch() == batch).map(GreedyThroughput::sentencesPerSecond).findFirst().orElse(null);
  }

  /** This result with the child's memory peaks. */
  RunResult withMemory(double rssMiB, double heapMiB, double heapAfterGcMiB) {
    return new RunResult(spec, backendDescription, compiledTraining, training, greedy, rssMiB, heapMiB, heapAfterGcMiB, error);
  }
}
