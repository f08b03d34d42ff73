package dev.seq2seq.benchmarks;

import java.util.Arrays;
import java.util.Collection;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs JMH with the usual command-line options (default: {@link GemmBenchmark}; name others, e.g.
 * {@code RecurrentCellBenchmark}, to run them) and then prints, per GEMM benchmark, the median and
 * mean over measurement iterations in GFLOP/s.
 *
 * <pre>java -jar seq2seq-benchmarks/target/benchmarks.jar -wi 3 -i 5 -f 1</pre>
 */
public final class GemmBenchmarkMain {
  private GemmBenchmarkMain() {}

  public static void main(String[] args) throws Exception {
    CommandLineOptions cli = new CommandLineOptions(args);
    if (cli.shouldHelp() || cli.shouldList() || cli.shouldListProfilers() || cli.shouldListResultFormats()) {
      org.openjdk.jmh.Main.main(args);
      return;
    }
    OptionsBuilder builder = new OptionsBuilder();
    if (cli.getIncludes().isEmpty()) {
      builder.include(GemmBenchmark.class.getSimpleName());
    }
    Options options = builder.parent(cli).build();
    Collection<RunResult> results = new Runner(options).run();
    if (results.stream().noneMatch(r -> r.getParams().getParam("gemm") != null)) {
      return; // no GEMM benchmark ran (e.g. only RecurrentCellBenchmark): JMH's own table says it all
    }
    System.out.println();
    System.out.println("GEMM GFLOP/s (2*M*N*K per product; median and mean of the measurement iterations)");
    System.out.printf("%-16s %-10s %8s %8s %8s%n", "M x K x N", "gemm", "median", "mean", "min");
    for (RunResult r : results) {
      String shape = r.getParams().getParam("shape");
      String gemm = r.getParams().getParam("gemm");
      if (shape == null || gemm == null) {
        continue;
      }
      int[] mkn = GemmBenchmark.parseShape(shape);
      double gflop = 2.0 * mkn[0] * mkn[1] * mkn[2] / 1e9;
      double[] scores = perIteration(r);
      Arrays.sort(scores);
      double median = scores.length % 2 == 1
          ? scores[scores.length / 2]
          : (scores[scores.length / 2 - 1] + scores[scores.length / 2]) / 2;
      double mean = Arrays.stream(scores).average().orElse(Double.NaN);
      System.out.printf("%-16s %-10s %8.1f %8.1f %8.1f%n", shape, gemm, median * gflop, mean * gflop, scores[0] * gflop);
    }
  }

  /** Products per second of every measurement iteration of every fork. */
  private static double[] perIteration(RunResult r) {
    return r.getBenchmarkResults().stream()
        .flatMap(b -> b.getIterationResults().stream())
        .mapToDouble(i -> i.getPrimaryResult().getScore())
        .toArray();
  }

}
