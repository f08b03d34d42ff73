package dev.seq2seq.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seq2seq.api.backend.Backends;
import dev.seq2seq.models.data.Vocabulary;
import dev.seq2seq.models.inject.BackendBoundComponent;
import dev.seq2seq.models.inject.ModelSpec;
import dev.seq2seq.models.inject.SavedModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every bad input of train / translate / eval: exit code 2, one line on stderr naming the problem, no stack trace. */
class CliErrorsTest {
  @TempDir
  static Path dir;

  static Path corpus;
  static Path model;

  @BeforeAll
  static void files() throws IOException {
    corpus = dir.resolve("ok.tsv");
    Files.writeString(corpus, "a b\tb a\nc d\td c\n");
    model = dir.resolve("model");
    ModelSpec spec = new ModelSpec(null, null, null, null, 4, 8, 0, false, 0, 0, 0, 0, 0, 0).withDefaults();
    Vocabulary v = Vocabulary.of(List.of("a", "b", "c", "d"));
    new SavedModel(spec, v, v, spec.build(BackendBoundComponent.on(Backends.get("ejml")), v.size(), v.size())).save(model);
  }

  private static String usageError(CliRun r) {
    assertThat(r.status()).as("exit status; stderr: %s", r.err()).isEqualTo(2);
    assertThat(r.err().lines().count()).as("one line: %s", r.err()).isEqualTo(1);
    assertThat(r.err()).doesNotContain("\tat ").doesNotContain("Exception");
    return r.err();
  }

  private static CliRun train(String... extra) {
    List<String> args = new java.util.ArrayList<>(List.of("train", "--out", dir.resolve("out").toString(), "--steps", "1"));
    args.addAll(List.of(extra));
    return CliRun.run(args.toArray(String[]::new));
  }

  @Test
  void aMissingCorpusFile() {
    assertThat(usageError(train("--train", dir.resolve("nope.tsv").toString())))
        .contains("--train").contains("nope.tsv").contains("no such file").contains("source<TAB>target");
  }

  @Test
  void aMalformedCorpusLineNamesFileAndLine() throws IOException {
    Path bad = dir.resolve("bad.tsv");
    Files.writeString(bad, "a\tb\nno tab here\n");
    assertThat(usageError(train("--train", bad.toString()))).contains("bad.tsv:2").contains("no tab").contains("source<TAB>target");
  }

  @Test
  void anUnknownBackendListsTheAvailableOnes() {
    assertThat(usageError(CliRun.run("translate", "--model", model.toString(), "--backend", "cuda")))
        .contains("unknown backend 'cuda'").contains("[ejml, tensorflow]");
  }

  @Test
  void anUnknownCellListsTheRegisteredOnes() {
    assertThat(usageError(train("--train", corpus.toString(), "--cell", "mgu")))
        .contains("unknown cell 'mgu'").contains("gru").contains("lstm");
  }

  @Test
  void anUnknownAttentionListsTheRegisteredOnes() {
    assertThat(usageError(train("--train", corpus.toString(), "--attention", "cosine")))
        .contains("unknown attention 'cosine'").contains("bahdanau").contains("luong_dot");
  }

  @Test
  void aConfigWithAnUnknownKeyListsTheKnownKeys() throws IOException {
    Path config = dir.resolve("bad.json");
    Files.writeString(config, "{\"hiden\": 64}");
    assertThat(usageError(train("--train", corpus.toString(), "--config", config.toString())))
        .contains("unknown key 'hiden'").contains("hidden");
  }

  @Test
  void aModelDirectoryThatDoesNotExist() {
    assertThat(usageError(CliRun.run("translate", "--model", dir.resolve("nowhere").toString())))
        .contains("nowhere").contains("no such directory");
  }

  @Test
  void aDirectoryThatIsNotACheckpoint() throws IOException {
    Files.createDirectories(dir.resolve("plain"));
    assertThat(usageError(CliRun.run("eval", "--model", dir.resolve("plain").toString(), "--test", corpus.toString())))
        .contains("not a checkpoint");
  }

  @Test
  void aCheckpointForADifferentModelNamesTheParameters() throws IOException {
    Path other = dir.resolve("other");
    ModelSpec small = new ModelSpec(null, null, null, null, 4, 8, 0, false, 0, 0, 0, 0, 0, 0).withDefaults();
    ModelSpec claims = new ModelSpec(null, null, null, null, 4, 16, 0, false, 0, 0, 0, 0, 0, 0).withDefaults();
    Vocabulary v = Vocabulary.of(List.of("a", "b", "c", "d"));
    new SavedModel(claims, v, v, small.build(BackendBoundComponent.on(Backends.get("ejml")), v.size(), v.size())).save(other);
    assertThat(usageError(CliRun.withStdin("a b\n", "translate", "--model", other.toString())))
        .contains("does not match").contains("shape mismatch").contains("weight_hh_l0").contains("[48, 16]");
  }

  @Test
  void anEmptyInputLineIsNamed() {
    assertThat(usageError(CliRun.withStdin("a b\n\nc d\n", "translate", "--model", model.toString())))
        .contains("stdin:2").contains("empty line");
  }

  @Test
  void optionValuesOutOfRange() {
    assertThat(usageError(CliRun.run("translate", "--model", model.toString(), "--beam", "0"))).contains("--beam 0").contains(">= 1");
    assertThat(usageError(train("--train", corpus.toString(), "--hidden", "-3"))).contains("hidden -3").contains("out of range");
    assertThat(usageError(train("--train", corpus.toString(), "--dropout", "1.5"))).contains("dropout").contains("[0, 1)");
    assertThat(usageError(CliRun.run("translate", "--model", model.toString(), "--batch", "x"))).contains("--batch").contains("'x'");
  }
}
