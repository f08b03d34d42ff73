package dev.seq2seq.examples.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Prints a {@link BenchReport} as one table: a row per configuration for the PyTorch reference
 * (at the standard sizes), then a row per backend with its figures as {@code median [min-max]} and
 * their ratio to the reference ({@code x ref} = ours / PyTorch, higher is better), and the child
 * JVM's memory peaks. Columns are separated by at least two spaces; an empty cell is {@code -}.
 */
public final class BenchTable {
  /** The reference rows' backend label. */
  static final String REFERENCE_ROW = "PyTorch";

  private BenchTable() {}

  /** The table's column headers for these decoding batch sizes. */
  static List<String> headers(List<Integer> decodeBatches) {
    List<String> h = new ArrayList<>(List.of("config", "backend", "train tgt tok/s", "x ref"));
    for (int b : decodeBatches) {
      h.add("greedy b=" + b + " sent/s");
      h.add("x ref");
    }
    h.add("peak RSS MiB");
    h.add("peak heap MiB");
    return h;
  }

  /** The whole printout: a header, the table and the notes. */
  public static String format(BenchReport report) {
    BenchSizes sizes = BenchSizes.named(report.sizes());
    boolean comparable = sizes.comparableWithReference();
    List<List<String>> rows = new ArrayList<>();
    rows.add(headers(report.decodeBatches()));
    String lastConfig = null;
    for (RunResult r : report.results()) {
      BenchConfig config = BenchConfig.named(r.spec().config());
      if (comparable && !config.key().equals(lastConfig)) {
        rows.add(referenceRow(report.reference(), config, report.decodeBatches()));
      }
      lastConfig = config.key();
      rows.add(row(report.reference(), config, r, report.decodeBatches(), comparable));
    }
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT,
        "seq2seq bench, %s: sizes %s (vocab %,d, length %d, batch %d); %d warm-up + %d measured steps/runs; median [min-max]%n",
        report.date(), sizes.name(), sizes.vocab(), sizes.length(), sizes.batch(), report.warmup(), report.steps()));
    out.append(String.format(Locale.ROOT, "Java %s, %d processors, child JVM flags %s%n%n", report.java(), report.processors(),
        String.join(" ", report.childJvmFlags())));
    out.append(align(rows));
    out.append(String.format(Locale.ROOT, "%n"));
    notes(report, sizes, comparable).forEach(n -> out.append(n).append(String.format("%n")));
    return out.toString();
  }

  private static List<String> referenceRow(PyTorchReference reference, BenchConfig config, List<Integer> decodeBatches) {
    OptionalDouble training = reference.trainingTokensPerSecond(config);
    List<String> row = new ArrayList<>(List.of(config.key(), REFERENCE_ROW, training.isPresent() ? number(training.getAsDouble()) : "-", "-"));
    for (int b : decodeBatches) {
      OptionalDouble ref = reference.greedySentencesPerSecond(config, b);
      row.add(ref.isPresent() ? number(ref.getAsDouble()) : "-");
      row.add("-");
    }
    row.add("-");
    row.add("-");
    return row;
  }

  private static List<String> row(PyTorchReference reference, BenchConfig config, RunResult r, List<Integer> decodeBatches,
      boolean comparable) {
    List<String> row = new ArrayList<>(List.of(config.key(), r.spec().backend()));
    if (!r.succeeded()) {
      row.add("failed: " + r.error());
      return row;
    }
    row.add(figure(r.training()));
    OptionalDouble training = reference.trainingTokensPerSecond(config);
    row.add(comparable && training.isPresent() ? ratio(r.training().median() / training.getAsDouble()) : "-");
    for (int b : decodeBatches) {
      Throughput t = r.greedyAt(b);
      OptionalDouble ref = reference.greedySentencesPerSecond(config, b);
      row.add(t == null ? "-" : figure(t));
      row.add(t != null && comparable && ref.isPresent() ? ratio(t.median() / ref.getAsDouble()) : "-");
    }
    row.add(r.peakRssMiB() < 0 ? "-" : String.format(Locale.ROOT, "%,.0f", r.peakRssMiB()));
    row.add(String.format(Locale.ROOT, "%,.0f", r.peakHeapMiB()));
    return row;
  }

  private static List<String> notes(BenchReport report, BenchSizes sizes, boolean comparable) {
    List<String> notes = new ArrayList<>();
    notes.add(comparable
        ? "reference: " + report.reference().label() + "; x ref = ours / PyTorch (higher is better)"
        : "sizes '" + sizes.name() + "' differ from the reference's, so no PyTorch figures or ratios are shown");
    notes.add(String.format(Locale.ROOT, "training: forward + backward + Adam (lr %.0e, no clipping; the gradient norm is still computed), teacher forcing, %,d target tokens per step; compiled where the backend can",
        BenchRunner.LEARNING_RATE, sizes.targetTokensPerBatch()));
    notes.add(String.format(Locale.ROOT, "greedy: one run = encode + exactly %d decoder steps on the whole batch (<eos> suppressed); sentences/s = batch / run time",
        sizes.length()));
    notes.add("memory: one fresh JVM per (config, backend) row, training then decoding; peak RSS = VmHWM, peak heap = largest heap use (garbage included) before any GC");
    Map<String, String> backends = new LinkedHashMap<>();
    for (RunResult r : report.results()) {
      if (r.succeeded()) {
        backends.putIfAbsent(r.spec().backend(), r.backendDescription() + (r.compiledTraining() ? "; compiled training steps" : "; eager training steps"));
      }
    }
    backends.forEach((name, description) -> notes.add("  " + description));
    return notes;
  }

  /** {@code median [min-max]}. */
  static String figure(Throughput t) {
    return number(t.median()) + " [" + number(t.min()) + "-" + number(t.max()) + "]";
  }

  /** Three significant figures or more: {@code 10,800}, {@code 275}, {@code 42.5}, {@code 3.14}. */
  static String number(double v) {
    if (v >= 100) {
      return String.format(Locale.ROOT, "%,.0f", v);
    }
    return String.format(Locale.ROOT, v >= 10 ? "%.1f" : "%.2f", v);
  }

  private static String ratio(double r) {
    return String.format(Locale.ROOT, "%.2f", r);
  }

  /** Left-aligned columns, two spaces apart; a short row ends early (a failed run's message). */
  private static String align(List<List<String>> rows) {
    int columns = rows.get(0).size();
    int[] width = new int[columns];
    for (List<String> row : rows) {
      for (int c = 0; c < row.size() && c < columns; c++) {
        if (row.size() == columns || c < row.size() - 1) {
          width[c] = Math.max(width[c], row.get(c).length());
        }
      }
    }
    StringBuilder out = new StringBuilder();
    for (List<String> row : rows) {
      StringBuilder line = new StringBuilder();
      for (int c = 0; c < row.size(); c++) {
        line.append(row.get(c));
        if (c < row.size() - 1) {
          line.append(" ".repeat(width[c] - row.get(c).length() + 2));
        }
      }
      out.append(line.toString().stripTrailing()).append(String.format("%n"));
    }
    return out.toString();
  }
}
