package dev.seq2seq.examples.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading the figures {@code pytorch_reference.py --json} writes, and the errors for files that do not fit. */
class PyTorchReferenceTest {
  @TempDir
  Path dir;

  private Path file(String json) throws IOException {
    Path f = dir.resolve("reference.json");
    Files.writeString(f, json);
    return f;
  }

  @Test
  void readsTheFiguresByConfigAndBatchSize() throws IOException {
    PyTorchReference r = PyTorchReference.read(file(
        "{\"label\": \"PyTorch 1.13.0 here\", \"training\": {\"a\": 6078.5, \"C\": 7355},"
            + " \"greedy\": {\"64\": {\"a\": 833, \"b\": 828}, \" 1\": {\"c\": 52.7}}}"));
    assertThat(r.label()).isEqualTo("PyTorch 1.13.0 here");
    assertThat(r.trainingTokensPerSecond(BenchConfig.A)).hasValue(6078.5);
    assertThat(r.trainingTokensPerSecond(BenchConfig.C)).as("keys are read case-insensitively").hasValue(7355);
    assertThat(r.trainingTokensPerSecond(BenchConfig.B)).isEmpty();
    assertThat(r.greedySentencesPerSecond(BenchConfig.B, 64)).hasValue(828);
    assertThat(r.greedySentencesPerSecond(BenchConfig.C, 1)).hasValue(52.7);
    assertThat(r.greedySentencesPerSecond(BenchConfig.A, 1)).isEmpty();
    assertThat(r.greedySentencesPerSecond(BenchConfig.A, 8)).isEmpty();
  }

  @Test
  void theRecordedFiguresAreTheIssuesReference() {
    assertThat(PyTorchReference.RECORDED.trainingTokensPerSecond(BenchConfig.B)).hasValue(9_050);
    assertThat(PyTorchReference.RECORDED.greedySentencesPerSecond(BenchConfig.C, 64)).hasValue(330);
    assertThat(PyTorchReference.RECORDED.greedySentencesPerSecond(BenchConfig.A, 1)).hasValue(275);
  }

  @Test
  void aFileThatDoesNotFitIsRefusedNamingTheProblem() throws IOException {
    assertThatThrownBy(() -> PyTorchReference.read(file("{\"training\": {}, \"greedy\": {}}")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"label\"").hasMessageContaining("reference.json");
    assertThatThrownBy(() -> PyTorchReference.read(file("{\"label\": \"x\", \"training\": {\"d\": 1}, \"greedy\": {}}")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown config 'd'").hasMessageContaining("expected a, b or c");
    assertThatThrownBy(() -> PyTorchReference.read(file("{\"label\": \"x\", \"training\": {\"a\": -5}, \"greedy\": {}}")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("training, config a: -5.0 is not a positive finite number");
    assertThatThrownBy(() -> PyTorchReference.read(file("{\"label\": \"x\", \"training\": {}, \"greedy\": {\"b64\": {\"a\": 1}}}")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("greedy batch size 'b64'").hasMessageContaining("whole number >= 1");
    assertThatThrownBy(() -> PyTorchReference.read(file("{\"label\": \"x\", \"training\": {\"a\": \"fast\"}, \"greedy\": {}}")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not the expected JSON");
    assertThatThrownBy(() -> PyTorchReference.read(file("")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
    assertThatThrownBy(() -> PyTorchReference.read(dir.resolve("missing.json")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot read").hasMessageContaining("missing.json");
  }
}
