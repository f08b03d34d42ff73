package dev.seq2seq.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class Seq2SeqCommandTest {
  @Test
  void backendsListsBothAndMarksTheDefault() {
    CliRun r = CliRun.run("backends");
    assertThat(r.status()).isZero();
    assertThat(r.out()).contains("* ejml").contains("tensorflow").contains("default");
  }

  @Test
  void anUnknownBackendIsOneClearLine() {
    CliRun r = CliRun.run("example", "xor", "--backend", "cuda");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err().strip()).isEqualTo("seq2seq example: unknown backend 'cuda': available backends are [ejml, tensorflow]");
  }

  @Test
  void anUnknownExampleListsTheExamples() {
    CliRun r = CliRun.run("example", "nope");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("unknown example 'nope': available examples are [");
    assertThat(r.err()).doesNotContain("at dev.seq2seq");
  }

  @Test
  void theExamplesAreListedByName() {
    CliRun r = CliRun.run("example", "nope");
    assertThat(r.err().strip()).endsWith("available examples are [custom-cell, dates, numerals, reverse, xor]");
  }
}
