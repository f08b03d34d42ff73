package dev.seq2seq.benchmarks;

import dev.seq2seq.api.backend.Backend;
import dev.seq2seq.backend.ejml.EjmlBackend;
import dev.seq2seq.backend.ejml.gemm.FloatGemms;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;

/**
 * Training throughput of the ejml backend in target tokens per second (forward, backward and an
 * Adam step without clipping) for three reference configurations, on random int32 batches of 64
 * pairs with source and target length 20 and vocabularies of 1000:
 *
 * <ul>
 *   <li>{@code a}: GRU encoder-decoder (1 layer, embedding 128, hidden 256) with Bahdanau attention;
 *   <li>{@code b}: LSTM encoder-decoder (2 layers, embedding 128, hidden 256) with Luong "general" attention;
 *   <li>{@code c}: Transformer ({@code d_model} 128, 4 heads, 2+2 layers, FFN 512, dropout 0).
 * </ul>
 *
 * <pre>java --add-modules jdk.incubator.vector -cp ... dev.seq2seq.benchmarks.TrainingThroughputMain abc [warmup] [steps] [--gemm-stats]</pre>
 *
 * <p>Prints, per configuration, the tokens/s of every timed step and their median. With a fourth
 * argument {@code --gemm-stats} it also prints the time spent per GEMM shape. Also printed: the bytes
 * the main thread allocated and the garbage-collection time, per step (independent of machine load).
 * The system property {@code seq2seq.bench.gemmThreads} runs the Vector API GEMM on that many threads.
 */
public final class TrainingThroughputMain {

  private TrainingThroughputMain() {}

  public static void main(String[] args) {
    String configs = args.length > 0 ? args[0] : "abc";
    int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int steps = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    boolean stats = args.length > 3 && args[3].equals("--gemm-stats");
    String threads = System.getProperty("seq2seq.bench.gemmThreads");
    GemmStatistics gemm = new GemmStatistics(threads == null ? FloatGemms.select() : FloatGemms.vector(Integer.parseInt(threads)));
    stats |= threads != null;
    Backend backend = stats ? new EjmlBackend(gemm) : new EjmlBackend();
    System.out.println(backend.description());
    for (char c : configs.toCharArray()) {
      run(backend, c, warmup, steps, gemm::reset); // GEMM times of the measured steps only
      if (stats) {
        gemm.print(System.out, steps);
      }
    }
  }
  /** Total collection time of every garbage collector so far. */
  private static long gcMillis() {
    long sum = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      sum += Math.max(0, gc.getCollectionTime());
    }
    return sum;
  }

  /** Trains {@code warmup + steps} steps of {@code config}, calling {@code measuring} before the first measured one. */
  private static void run(Backend backend, char config, int warmup, int steps, Runnable measuring) {
    TrainingStepper stepper = new TrainingStepper(backend, String.valueOf(config), 0);
    double[] rates = new double[steps];
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long allocated = 0;
    long gcMillis = 0;
    for (int i = 0; i < warmup + steps; i++) {
      if (i == warmup) {
        measuring.run();
        allocated = threads.getCurrentThreadAllocatedBytes();
        gcMillis = gcMillis();
      }
      double seconds = stepper.stepSeconds();
      if (i >= warmup) {
        rates[i - warmup] = TrainingStepper.targetTokensPerStep() / seconds;
      }
    }
    double allocatedPerStep = (threads.getCurrentThreadAllocatedBytes() - allocated) / (double) steps;
    double gcPerStep = (gcMillis() - gcMillis) / (double) steps;
    double[] sorted = rates.clone();
    Arrays.sort(sorted);
    double median = steps % 2 == 1 ? sorted[steps / 2] : (sorted[steps / 2 - 1] + sorted[steps / 2]) / 2;
    StringBuilder all = new StringBuilder();
    for (double r : rates) {
      all.append(String.format(Locale.ROOT, " %.0f", r));
    }
    System.out.printf(Locale.ROOT, "config %c: median %.0f target tokens/s over %d steps (after %d warm-up):%s;"
        + " %.0f MB allocated and %.0f ms in GC per step%n", config, median, steps, warmup, all, allocatedPerStep / 1e6, gcPerStep);
  }
}
