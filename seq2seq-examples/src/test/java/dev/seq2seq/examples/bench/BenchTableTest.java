package dev.seq2seq.examples.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The table: reference rows, ratios to PyTorch, failed runs, number formats. */
class BenchTableTest {
  private static final List<Integer> BATCHES = List.of(64, 1);

  private static RunResult result(String backend, String config, double training, double greedy64, double greedy1) {
    RunSpec spec = new RunSpec(backend, config, "standard", 3, 1, BATCHES, 7);
    return new RunResult(spec, backend + ": test", true, new Throughput(training, training / 2, training * 2, 3),
        List.of(new RunResult.GreedyThroughput(64, new Throughput(greedy64, greedy64, greedy64, 3)),
            new RunResult.GreedyThroughput(1, new Throughput(greedy1, greedy1, greedy1, 3))),
        1536, 512.4, 100, null);
  }

  private static BenchReport report(String sizes, List<RunResult> results) {
    return new BenchReport("2026-11-23T00:00:00Z", "17", 2, List.of("--add-modules=jdk.incubator.vector"), sizes, 3, 1, BATCHES,
        PyTorchReference.RECORDED, results);
  }

  private static List<String> row(String table, String config, String backend) {
    return table.lines().map(l -> Arrays.asList(l.strip().split("\\s{2,}")))
        .filter(c -> c.size() > 1 && c.get(0).equals(config) && c.get(1).equals(backend)).findFirst().orElseThrow();
  }

  @Test
  void eachConfigGetsAReferenceRowAndEveryFigureItsRatioToPyTorch() {
    // a: 10,800 tok/s, 1,550 and 275 sent/s in PyTorch; c: 16,100, 330 and 65
    String table = BenchTable.format(report("standard", List.of(
        result("ejml", "a", 5_400, 3_100, 27.5), result("tensorflow", "a", 21_600, 775, 550), result("ejml", "c", 1_610, 33, 6.5))));
    assertThat(row(table, "a", BenchTable.REFERENCE_ROW)).containsExactly("a", "PyTorch", "10,800", "-", "1,550", "-", "275", "-", "-", "-");
    assertThat(row(table, "a", "ejml")).containsExactly("a", "ejml", "5,400 [2,700-10,800]", "0.50", "3,100 [3,100-3,100]", "2.00",
        "27.5 [27.5-27.5]", "0.10", "1,536", "512");
    assertThat(row(table, "a", "tensorflow").subList(2, 8)).containsExactly("21,600 [10,800-43,200]", "2.00", "775 [775-775]", "0.50",
        "550 [550-550]", "2.00");
    assertThat(row(table, "c", BenchTable.REFERENCE_ROW).subList(2, 7)).containsExactly("16,100", "-", "330", "-", "65.0");
    assertThat(row(table, "c", "ejml").subList(2, 8)).containsExactly("1,610 [805-3,220]", "0.10", "33.0 [33.0-33.0]", "0.10",
        "6.50 [6.50-6.50]", "0.10");
    assertThat(table.lines().filter(l -> l.matches("^a +" + BenchTable.REFERENCE_ROW + " .*"))).as("one reference row per config").hasSize(1);
    assertThat(table).contains(PyTorchReference.RECORDED.label()).contains("ejml: test").contains("tensorflow: test");
  }

  @Test
  void aReferenceReadFromAFileGivesTheRatiosAndMissingFiguresGiveDashes() {
    PyTorchReference measuredHere = new PyTorchReference("PyTorch measured here", Map.of("a", 6_000.0),
        Map.of("64", Map.of("a", 800.0)));
    String table = BenchTable.format(new BenchReport("now", "17", 2, List.of(), "standard", 3, 1, BATCHES, measuredHere,
        List.of(result("ejml", "a", 9_000, 1_200, 200), result("ejml", "c", 8_000, 700, 100))));
    assertThat(row(table, "a", BenchTable.REFERENCE_ROW).subList(2, 8)).containsExactly("6,000", "-", "800", "-", "-", "-");
    assertThat(row(table, "a", "ejml").subList(2, 8)).containsExactly("9,000 [4,500-18,000]", "1.50", "1,200 [1,200-1,200]", "1.50",
        "200 [200-200]", "-");
    assertThat(row(table, "c", "ejml").get(3)).as("no figure for c in this reference").isEqualTo("-");
    assertThat(table).contains("reference: PyTorch measured here;");
  }

  @Test
  void aBatchSizeWithoutAReferenceFigureHasNoRatio() {
    RunSpec spec = new RunSpec("ejml", "b", "standard", 3, 1, List.of(8), 7);
    RunResult r = new RunResult(spec, "ejml: test", false, new Throughput(905, 905, 905, 3),
        List.of(new RunResult.GreedyThroughput(8, new Throughput(115, 115, 115, 3))), 100, 50, 10, null);
    BenchReport report = new BenchReport("now", "17", 2, List.of(), "standard", 3, 1, List.of(8), PyTorchReference.RECORDED, List.of(r));
    String table = BenchTable.format(report);
    assertThat(row(table, "b", "ejml").subList(2, 6)).containsExactly("905 [905-905]", "0.10", "115 [115-115]", "-");
    assertThat(row(table, "b", BenchTable.REFERENCE_ROW).subList(2, 6)).containsExactly("9,050", "-", "-", "-");
  }

  @Test
  void aFailedRunShowsItsErrorInItsRow() {
    RunResult failed = RunResult.failed(new RunSpec("tensorflow", "b", "standard", 3, 1, BATCHES, 7), "the child JVM exited with status 1");
    String table = BenchTable.format(report("standard", List.of(result("ejml", "b", 905, 115, 18.5), failed)));
    assertThat(row(table, "b", "tensorflow")).containsExactly("b", "tensorflow", "failed: the child JVM exited with status 1");
    assertThat(row(table, "b", "ejml").get(3)).isEqualTo("0.10");
  }

  @Test
  void tinySizesShowNoReferenceAndNoRatios() {
    RunSpec spec = new RunSpec("ejml", "a", "tiny", 3, 1, BATCHES, 7);
    RunResult r = new RunResult(spec, "ejml: test", false, new Throughput(500, 400, 600, 3),
        List.of(new RunResult.GreedyThroughput(64, new Throughput(9, 8, 10, 3)), new RunResult.GreedyThroughput(1, new Throughput(2, 1, 3, 3))),
        -1, 50, 10, null);
    String table = BenchTable.format(report("tiny", List.of(r)));
    assertThat(table.lines().filter(l -> l.startsWith("a ") && l.contains(BenchTable.REFERENCE_ROW))).as("reference rows").isEmpty();
    assertThat(row(table, "a", "ejml")).containsExactly("a", "ejml", "500 [400-600]", "-", "9.00 [8.00-10.0]", "-", "2.00 [1.00-3.00]", "-", "-", "50");
  }

  @Test
  void numbersKeepThreeSignificantFigures() {
    assertThat(BenchTable.number(16_100)).isEqualTo("16,100");
    assertThat(BenchTable.number(275.4)).isEqualTo("275");
    assertThat(BenchTable.number(42.46)).isEqualTo("42.5");
    assertThat(BenchTable.number(3.14159)).isEqualTo("3.14");
  }
}
