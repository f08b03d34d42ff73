package dev.seq2seq.examples.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seq2seq.models.decoding.DecodingResult;
import dev.seq2seq.models.decoding.Hypothesis;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The small parts of the bench: statistics, memory parsing, the child's flags, the full-length check. */
class BenchPartsTest {
  @Test
  void throughputIsTheMedianAndRangeOfTheRunRates() {
    assertThat(Throughput.of(new double[] {3, 1, 2})).isEqualTo(new Throughput(2, 1, 3, 3));
    assertThat(Throughput.of(new double[] {4, 1, 2, 10})).isEqualTo(new Throughput(3, 1, 10, 4));
    assertThat(Throughput.rate(1280, 500_000_000L)).isEqualTo(2560.0);
    assertThatThrownBy(() -> Throughput.of(new double[0])).hasMessageContaining("no runs");
    assertThatThrownBy(() -> Throughput.of(new double[] {1, 0})).hasMessageContaining("finite and positive");
  }

  @Test
  void peakRssIsReadFromVmHwm() {
    String status = "Name:\tjava\nVmPeak:\t 9000000 kB\nVmHWM:\t  123456 kB\nVmRSS:\t  100000 kB\n";
    assertThat(PeakMemory.parseVmHwmKiB(status)).isEqualTo(123_456L);
    assertThat(PeakMemory.parseVmHwmKiB("Name:\tjava\n")).isEqualTo(-1L);
  }

  @Test
  void childFlagsDropTheDebuggerAndAlwaysEnableTheVectorModule() {
    assertThat(ChildLauncher.childFlags(List.of("-Xmx2g", "-agentlib:jdwp=transport=dt_socket,server=y,address=5005")))
        .containsExactly("-Xmx2g", "--add-modules", "jdk.incubator.vector");
    assertThat(ChildLauncher.childFlags(List.of("--add-modules=jdk.incubator.vector", "-Dx=1")))
        .containsExactly("--add-modules=jdk.incubator.vector", "-Dx=1");
  }

  @Test
  void aDecodeThatStopsEarlyFailsTheRun() {
    DecodingResult full = new DecodingResult(List.of(new Hypothesis(new int[] {5, 6, 7}, -1, -1, false, null)));
    DecodingResult early = new DecodingResult(List.of(new Hypothesis(new int[] {5, 6}, -1, -1, true, null)));
    BenchRunner.checkFullLength(List.of(full), 3);
    assertThatThrownBy(() -> BenchRunner.checkFullLength(List.of(full, early), 3))
        .hasMessageContaining("stopped after 2 of 3 steps");
  }

  @Test
  void namesAreCheckedWithTheChoicesInTheMessage() {
    assertThat(BenchConfig.named(" B ")).isEqualTo(BenchConfig.B);
    assertThatThrownBy(() -> BenchConfig.named("d")).hasMessage("unknown config 'd': expected a, b or c");
    assertThat(BenchSizes.named("standard").comparableWithReference()).isTrue();
    assertThat(BenchSizes.STANDARD.targetTokensPerBatch()).isEqualTo(64 * 20);
    assertThatThrownBy(() -> BenchSizes.named("huge")).hasMessage("unknown sizes 'huge': expected standard or tiny");
  }
}
