package dev.seq2seq.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Seq2SeqCommandTest {
  private record Run(int status, String out, String err) {}

  private static Run run(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
      int status = Seq2SeqCommand.run(args);
      return new Run(status, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  @Test
  void backendsListsBothAndMarksTheDefault() {
    Run r = run("backends");
    assertThat(r.status()).isZero();
    assertThat(r.out()).contains("* ejml").contains("tensorflow").contains("default");
  }

  @Test
  void anUnknownBackendIsOneClearLine() {
    Run r = run("example", "xor", "--backend", "cuda");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err().strip()).isEqualTo("seq2seq example: unknown backend 'cuda': available backends are [ejml, tensorflow]");
  }

  @Test
  void anUnknownExampleListsTheExamples() {
    Run r = run("example", "nope");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("unknown example 'nope': available examples are [");
    assertThat(r.err()).doesNotContain("at dev.seq2seq");
  }

  @Test
  void theExamplesAreListedByName() {
    Run r = run("example", "nope");
    assertThat(r.err().strip()).endsWith("available examples are [custom-cell, numerals, reverse, xor]");
  }
}
