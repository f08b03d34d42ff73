package dev.seq2seq.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.Gson;
import dev.seq2seq.examples.bench.BenchReport;
import dev.seq2seq.examples.bench.RunResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code seq2seq bench}: a smoke run (one tiny configuration on ejml, two steps, in a real child
 * JVM) must print a table with the expected rows and columns and sane positive figures, and save
 * the same run as JSON; bad options get one line and exit 2. No timing is asserted.
 */
class BenchCommandTest {
  private static final List<String> HEADERS = List.of("config", "backend", "train tgt tok/s", "x ref",
      "greedy b=4 sent/s", "x ref", "greedy b=1 sent/s", "x ref", "peak RSS MiB", "peak heap MiB");
  private static final Pattern FIGURE = Pattern.compile("([0-9.,]+) \\[([0-9.,]+)-([0-9.,]+)\\]");

  @TempDir
  Path dir;

  @Test
  void aTinyRunPrintsOneRowOfPositiveFiguresAndSavesThemAsJson() throws Exception {
    Path json = dir.resolve("bench.json");
    CliRun r = CliRun.run("bench", "--backend", "ejml", "--config", "a", "--sizes", "tiny", "--steps", "2", "--warmup", "1",
        "--decode-batches", "4,1", "--json", json.toString());
    String context = "stdout:\n" + r.out() + "\nstderr:\n" + r.err();
    assertThat(r.status()).as(context).isZero();

    List<String> lines = r.out().lines().toList();
    List<String> header = lines.stream().filter(l -> l.startsWith("config  ")).map(BenchCommandTest::cells).findFirst().orElseThrow();
    assertThat(header).as(context).isEqualTo(HEADERS);
    List<List<String>> rows = lines.stream().filter(l -> l.matches("^[abc]  .*")).map(BenchCommandTest::cells).toList();
    assertThat(rows).as("one data row (tiny sizes: no PyTorch row)\n%s", context).hasSize(1);
    List<String> row = rows.get(0);
    assertThat(row).as(context).hasSize(HEADERS.size());
    assertThat(row.subList(0, 2)).isEqualTo(List.of("a", "ejml"));
    for (int column : new int[] {2, 4, 6}) {
      assertPositiveFigure(row.get(column), HEADERS.get(column));
    }
    for (int column : new int[] {3, 5, 7}) {
      assertThat(row.get(column)).as("%s: tiny sizes are not compared with PyTorch", HEADERS.get(column)).isEqualTo("-");
    }
    assertThat(number(row.get(8))).as("peak RSS MiB").isPositive();
    assertThat(number(row.get(9))).as("peak heap MiB").isPositive();
    assertThat(r.out()).contains("no PyTorch figures");

    BenchReport saved = new Gson().fromJson(Files.readString(json), BenchReport.class);
    assertThat(saved.results()).hasSize(1);
    RunResult result = saved.results().get(0);
    assertThat(result.succeeded()).as(result.error()).isTrue();
    assertThat(result.training().runs()).isEqualTo(2);
    assertThat(result.training().min()).isPositive().isLessThanOrEqualTo(result.training().median());
    assertThat(result.training().median()).isLessThanOrEqualTo(result.training().max());
    assertThat(result.greedy()).extracting(RunResult.GreedyThroughput::batch).containsExactly(4, 1);
    assertThat(result.greedy()).allSatisfy(g -> assertThat(g.sentencesPerSecond().min()).isPositive());
    assertThat(result.peakRssMiB()).isGreaterThanOrEqualTo(result.peakHeapAfterGcMiB());
    assertThat(result.backendDescription()).startsWith("ejml");
    assertThat(saved.childJvmFlags()).as("the child JVM must enable the Vector API GEMM")
        .anyMatch(f -> f.contains("jdk.incubator.vector"));
  }

  @Test
  void badOptionsAreOneLineAndExitTwo() {
    assertUsageError(CliRun.run("bench", "--backend", "cuda"), "seq2seq bench: unknown backend 'cuda': available backends are [ejml, tensorflow]");
    assertUsageError(CliRun.run("bench", "--config", "a,d"), "seq2seq bench: unknown config 'd': expected a, b or c");
    assertUsageError(CliRun.run("bench", "--steps", "0"), "seq2seq bench: --steps must be at least 1, got 0");
    assertUsageError(CliRun.run("bench", "--warmup", "-1"), "seq2seq bench: --warmup must be 0 or more, got -1");
    assertUsageError(CliRun.run("bench", "--decode-batches", "64,0"), "seq2seq bench: --decode-batches needs batch sizes of at least 1, got 0");
    assertUsageError(CliRun.run("bench", "--sizes", "huge"), "seq2seq bench: unknown sizes 'huge': expected standard or tiny");
  }

  private static void assertUsageError(CliRun r, String line) {
    assertThat(r.status()).as(r.err()).isEqualTo(2);
    assertThat(r.err().strip()).isEqualTo(line);
    assertThat(r.out()).as("nothing runs on bad input").doesNotContain("fresh JVM");
  }

  private static void assertPositiveFigure(String cell, String column) {
    Matcher m = FIGURE.matcher(cell);
    assertThat(m.matches()).as("%s: '%s' is median [min-max]", column, cell).isTrue();
    double median = number(m.group(1));
    double min = number(m.group(2));
    double max = number(m.group(3));
    assertThat(min).as("%s min", column).isPositive();
    assertThat(median).as("%s median", column).isBetween(min, max);
  }

  private static List<String> cells(String line) {
    return Arrays.asList(line.strip().split("\\s{2,}"));
  }

  private static double number(String text) {
    return Double.parseDouble(text.replace(",", ""));
  }
}
