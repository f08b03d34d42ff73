package dev.seq2seq.examples.cli;

import com.google.gson.GsonBuilder;
import dev.seq2seq.api.backend.Backends;
import dev.seq2seq.examples.bench.BenchConfig;
import dev.seq2seq.examples.bench.BenchReport;
import dev.seq2seq.examples.bench.BenchSizes;
import dev.seq2seq.examples.bench.BenchTable;
import dev.seq2seq.examples.bench.ChildLauncher;
import dev.seq2seq.examples.bench.PyTorchReference;
import dev.seq2seq.examples.bench.RunResult;
import dev.seq2seq.examples.bench.RunSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code seq2seq bench}: trains and greedily decodes the three standard configurations on synthetic
 * data, each (backend, configuration) in a fresh child JVM, and prints training target tokens/s,
 * greedy sentences/s per batch size and peak memory next to the PyTorch reference (recorded, or
 * read from {@code --reference FILE}). Exit status 1 if a run failed.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, description = {
    "Measure training and greedy decoding speed and peak memory of three standard",
    "models on synthetic data (vocab 1000, length 20, batch 64), each (backend,",
    "config) in a fresh JVM, with PyTorch 1.13's figures alongside:",
    "  a: GRU + Bahdanau; b: LSTM 2 layers + Luong general; c: Transformer 2+2 layers."})
final class BenchCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--backend", split = ",", paramLabel = "NAME",
      description = "backends to measure, comma-separated (default: all installed)")
  List<String> backends;

  @Option(names = "--config", split = ",", paramLabel = "KEY", description = "configurations a, b, c, comma-separated (default: all)")
  List<String> configs;

  @Option(names = "--steps", paramLabel = "N", defaultValue = "20",
      description = "measured training steps, and measured decoding runs per batch size (default: ${DEFAULT-VALUE})")
  int steps;

  /**
   * The JIT compiles a method with C2 after ~5,000 calls, so the per-cell drivers (one call per
   * layer and time step: 80 a step in config b) run C1's profiling code until step ~60: ejml's config
   * b ran 5,150 target tokens/s (median) over steps 30-49, 6,740 over 50-69 and 7,450-7,550 over
   * every later 20 of one 200-step run, and three interleaved pairs gave 6,914 after 30 warm-up steps
   * against 7,918 after 100 (config a: +3 %). 100 warm-up steps measure the steady state a long
   * training run sees.
   */
  @Option(names = "--warmup", paramLabel = "N", defaultValue = "100",
      description = "unmeasured warm-up steps and runs before them (default: ${DEFAULT-VALUE}; the JIT compiles "
          + "the pure-Java per-cell code with C2 only after ~60 steps)")
  int warmup;

  @Option(names = "--decode-batches", split = ",", paramLabel = "B", defaultValue = "64,1",
      description = "greedy decoding batch sizes (default: ${DEFAULT-VALUE})")
  List<Integer> decodeBatches;

  @Option(names = "--json", paramLabel = "FILE", description = "also save the raw results as JSON")
  Path json;

  @Option(names = "--reference", paramLabel = "FILE", description = "PyTorch figures to compare with, as "
      + "pytorch_reference.py --json writes them on this machine (default: those recorded on 2026-11-22)")
  Path referenceFile;

  @Option(names = "--sizes", hidden = true, defaultValue = "standard", description = "standard or tiny (smoke tests)")
  String sizes;

  @Option(names = "--seed", hidden = true, defaultValue = "7", description = "seed of weights and data")
  long seed;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    BenchSizes.named(sizes);
    PyTorchReference reference = referenceFile == null ? PyTorchReference.RECORDED : PyTorchReference.read(referenceFile);
    List<String> available = Backends.available();
    List<String> chosenBackends = backends == null ? available : backends.stream().map(b -> b.trim().toLowerCase(Locale.ROOT)).toList();
    for (String b : chosenBackends) {
      if (!available.contains(b)) {
        throw new IllegalArgumentException(String.format("unknown backend '%s': available backends are %s", b, available));
      }
    }
    List<BenchConfig> chosenConfigs = configs == null ? List.of(BenchConfig.values()) : configs.stream().map(BenchConfig::named).toList();
    List<RunSpec> runs = new ArrayList<>();
    for (BenchConfig c : chosenConfigs) {
      for (String b : chosenBackends) {
        runs.add(new RunSpec(b, c.key(), sizes, steps, warmup, decodeBatches, seed));
      }
    }
    String date = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    List<RunResult> results = new ArrayList<>();
    for (int i = 0; i < runs.size(); i++) {
      RunSpec run = runs.get(i);
      out.printf(Locale.ROOT, "[%d/%d] config %s on %s in a fresh JVM%n", i + 1, runs.size(), run.config(), run.backend());
      out.flush();
      long start = System.nanoTime();
      RunResult r = ChildLauncher.run(run, err);
      results.add(r);
      out.printf(Locale.ROOT, "[%d/%d] %s in %.0f s%n", i + 1, runs.size(), r.succeeded() ? "done" : "FAILED: " + r.error(),
          (System.nanoTime() - start) / 1e9);
      out.flush();
    }
    BenchReport report = new BenchReport(date, System.getProperty("java.runtime.version") + " (" + System.getProperty("java.vendor") + ")",
        Runtime.getRuntime().availableProcessors(), ChildLauncher.childFlags(),
        sizes, steps, warmup, decodeBatches, reference, results);
    out.println();
    out.print(BenchTable.format(report));
    out.flush();
    if (json != null) {
      try {
        Files.writeString(json, new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(report), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException("bench: cannot write " + json + ": " + e.getMessage(), e);
      }
      out.println("raw results: " + json.toAbsolutePath());
      out.flush();
    }
    return results.stream().allMatch(RunResult::succeeded) ? 0 : 1;
  }
}
