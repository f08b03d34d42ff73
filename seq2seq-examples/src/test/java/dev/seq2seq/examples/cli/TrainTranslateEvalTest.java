package dev.seq2seq.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train}, {@code translate} and {@code eval} end to end on a tiny reversal corpus (3-5
 * letters of a-e, reversed). One small GRU + Bahdanau model is trained from flags for all tests;
 * guessing a line right has odds of at most 1/5^3 (0.8 %), so over 50 % exact match means it learned.
 */
class TrainTranslateEvalTest {
  @TempDir
  static Path dir;

  static Path train;
  static Path valid;
  static Path model;
  static List<String> sources = new ArrayList<>();
  static List<String> targets = new ArrayList<>();

  static void corpus(Path file, int n, long seed, List<String> src, List<String> tgt) throws IOException {
    Random r = new Random(seed);
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) {
      List<String> s = new ArrayList<>();
      int length = 3 + r.nextInt(3);
      for (int j = 0; j < length; j++) {
        s.add(String.valueOf((char) ('a' + r.nextInt(5))));
      }
      List<String> t = new ArrayList<>(s);
      java.util.Collections.reverse(t);
      b.append(String.join(" ", s)).append('\t').append(String.join(" ", t)).append('\n');
      if (src != null) {
        src.add(String.join(" ", s));
        tgt.add(String.join(" ", t));
      }
    }
    Files.writeString(file, b);
  }

  @BeforeAll
  static void trainFromFlags() throws IOException {
    train = dir.resolve("train.tsv");
    valid = dir.resolve("valid.tsv");
    corpus(train, 1500, 1, null, null);
    corpus(valid, 60, 2, sources, targets);
    model = dir.resolve("run");
    CliRun r = CliRun.run("train", "--train", train.toString(), "--valid", valid.toString(), "--out", model.toString(),
        "--embedding", "16", "--hidden", "32", "--steps", "250", "--lr", "0.01", "--validate-every", "125",
        "--monitor", "exact_match", "--backend", "ejml");
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out()).contains("validation at step 125").contains("trained 250 steps").contains("saved to");
    assertThat(model.resolve("config.json")).exists();
    assertThat(model.resolve("vocab.source.json")).exists();
    assertThat(r.out()).contains("loss curve: ");
    assertThat(dir.resolve("run-plots").resolve("loss.png")).as("the loss curve beside the model").isNotEmptyFile();
  }

  private static double exactMatch(List<String> outputs) {
    int right = 0;
    for (int i = 0; i < targets.size(); i++) {
      right += outputs.get(i).equals(targets.get(i)) ? 1 : 0;
    }
    return (double) right / targets.size();
  }

  @Test
  void translateFromStdinIsGreedyLineAlignedAndLearned() {
    CliRun r = CliRun.withStdin(String.join("\n", sources) + "\n", "translate", "--model", model.toString(), "--batch", "7");
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.lines()).hasSize(sources.size());
    assertThat(exactMatch(r.lines())).as("exact match of greedy outputs").isGreaterThan(0.5);
    // line alignment: the reversal of line i is as long as line i, so a shifted output would mostly differ in length
    long sameLength = 0;
    for (int i = 0; i < sources.size(); i++) {
      sameLength += r.lines().get(i).split(" ").length == sources.get(i).split(" ").length ? 1 : 0;
    }
    assertThat(sameLength).as("outputs as long as their own inputs (line alignment)").isGreaterThan(sources.size() * 8L / 10);
  }

  @Test
  void translateAFileWithBeamSearchGivesTheSameLinesAsOneBatchAtATime() throws IOException {
    Path in = dir.resolve("in.txt");
    Files.writeString(in, String.join("\n", sources) + "\n");
    CliRun batched = CliRun.run("translate", "--model", model.toString(), "--beam", "4", "--batch", "16", in.toString());
    CliRun single = CliRun.run("translate", "--model", model.toString(), "--beam", "4", "--batch", "1", in.toString());
    assertThat(batched.status()).as(batched.err()).isZero();
    assertThat(batched.lines()).hasSize(sources.size());
    assertThat(exactMatch(batched.lines())).as("exact match of beam outputs").isGreaterThan(0.5);
    assertThat(batched.lines()).as("batching changes no output and no order").isEqualTo(single.lines());
  }

  @Test
  void evalPrintsBleuExactMatchTokenAccuracyAndTheCount() {
    CliRun r = CliRun.run("eval", "--model", model.toString(), "--test", valid.toString());
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out()).contains("sentences       60");
    double exact = number(r.out(), "exact match\\s+([0-9.]+) %");
    assertThat(number(r.out(), "BLEU\\s+([0-9.]+)")).isBetween(30.0, 100.0);
    assertThat(number(r.out(), "token accuracy\\s+([0-9.]+) %")).isBetween(60.0, 100.0);
    assertThat(exact).isGreaterThan(50.0);
  }

  @Test
  void aModelTrainedOnEjmlTranslatesTheSameOnTensorflow() {
    String stdin = String.join("\n", sources) + "\n";
    CliRun ejml = CliRun.withStdin(stdin, "translate", "--model", model.toString(), "--backend", "ejml");
    CliRun tf = CliRun.withStdin(stdin, "translate", "--model", model.toString(), "--backend", "tensorflow");
    assertThat(tf.status()).as(tf.err()).isZero();
    assertThat(tf.lines()).hasSize(ejml.lines().size());
    // Both are float32 greedy decodes of the same weights; the kernels sum in different orders, so a
    // near-tie between two tokens could flip (within Tolerances' float32 bounds). Require 95 %.
    int same = 0;
    for (int i = 0; i < ejml.lines().size(); i++) {
      same += ejml.lines().get(i).equals(tf.lines().get(i)) ? 1 : 0;
    }
    assertThat(same).as("lines equal on ejml and tensorflow").isGreaterThanOrEqualTo(ejml.lines().size() * 95 / 100);
  }

  @Test
  void aTransformerTrainsFromAJsonConfigAndFlagsOverrideIt() throws IOException {
    Path config = dir.resolve("model.json");
    Files.writeString(config, """
        {"family": "transformer", "d_model": 32, "heads": 2, "layers": 1, "ffn": 64, "dropout": 0.0, "max_length": 16, "seed": 5}
        """);
    Path out = dir.resolve("transformer");
    CliRun r = CliRun.run("train", "--train", train.toString(), "--config", config.toString(), "--heads", "4",
        "--steps", "150", "--lr", "0.005", "--out", out.toString());
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out()).contains("transformer d_model 32, 4 heads").contains("saved the final model (step 150)");
    CliRun e = CliRun.run("eval", "--model", out.toString(), "--test", valid.toString(), "--beam", "2");
    assertThat(e.status()).as(e.err()).isZero();
    assertThat(number(e.out(), "token accuracy\\s+([0-9.]+) %")).as("well above 1/5 chance").isGreaterThan(40.0);
  }

  /**
   * The example's IndRNN reaches the command line through its {@code CellProvider} (no component of
   * its own): it trains by name, is saved under that name, and the saved model loads back for
   * {@code eval}, which must find it learned (token accuracy well above the 1/5 of guessing).
   */
  @Test
  void aPlugInCellTrainsByNameAndItsSavedModelLoadsBack() throws IOException {
    Path out = dir.resolve("indrnn");
    CliRun r = CliRun.run("train", "--train", train.toString(), "--cell", "indrnn", "--embedding", "16", "--hidden", "32",
        "--steps", "150", "--lr", "0.01", "--out", out.toString());
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(Files.readString(out.resolve("config.json"))).contains("\"indrnn\"");
    CliRun e = CliRun.run("eval", "--model", out.toString(), "--test", valid.toString());
    assertThat(e.status()).as(e.err()).isZero();
    assertThat(number(e.out(), "token accuracy\\s+([0-9.]+) %")).as("well above 1/5 chance").isGreaterThan(40.0);
  }

  /**
   * {@code --resume} continues the saved model: it starts at the saved step (so later validations are
   * numbered after it), keeps the vocabularies, and the continued model still translates well. Model
   * flags next to it, and a budget already spent, are one-line errors.
   */
  @Test
  void resumeContinuesFromTheSavedStepAndRefusesModelFlagsOrASpentBudget() {
    Path out = dir.resolve("resumed");
    CliRun r = CliRun.run("train", "--train", train.toString(), "--valid", valid.toString(), "--resume", model.toString(),
        "--out", out.toString(), "--steps", "300", "--lr", "0.005", "--validate-every", "25", "--monitor", "exact_match");
    assertThat(r.status()).as(r.err()).isZero();
    long saved = (long) number(r.out(), "resumed from \\S+ at step ([0-9]+)");
    assertThat(saved).as("the step of the saved best model").isIn(125L, 250L);
    assertThat(r.out()).contains("validation at step " + (saved + 25)).doesNotContain("validation at step 25:");
    CliRun e = CliRun.run("eval", "--model", out.toString(), "--test", valid.toString());
    assertThat(e.status()).as(e.err()).isZero();
    assertThat(number(e.out(), "exact match\\s+([0-9.]+) %")).as("still learned after resuming").isGreaterThan(50.0);

    CliRun flags = CliRun.run("train", "--train", train.toString(), "--resume", model.toString(), "--out", out.toString(),
        "--hidden", "8");
    assertThat(flags.status()).isEqualTo(2);
    assertThat(flags.err().strip()).isEqualTo("seq2seq train: --resume " + model + ": the model and its config come from "
        + model + "; drop --hidden");
    CliRun spent = CliRun.run("train", "--train", train.toString(), "--resume", model.toString(), "--out", out.toString(),
        "--steps", "100");
    assertThat(spent.status()).isEqualTo(2);
    assertThat(spent.err()).contains("has already trained " + saved + " steps; --steps 100 leaves none to do");
  }

  static double number(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    assertThat(m.find()).as("'%s' in %s", regex, text).isTrue();
    return Double.parseDouble(m.group(1));
  }
}
