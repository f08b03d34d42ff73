package dev.seq2seq.models.decoding;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seq2seq.api.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * Loose frequency checks of one sampling step from a known distribution: first token 2 .5, 3 .3,
 * 4 .2 (then eos), drawn for {@value #N} copies of one source, each with its own stream.
 * The standard deviation of a frequency is at most sqrt(.25 / N) = 0.0079; the bound is ~4 of them.
 */
class SamplingFrequencyTest extends DecodingTestSupport {
  private static final int N = 4000;
  private static final Offset<Double> LOOSE = Offset.offset(0.03);

  private double[] frequencies(DecodingOptions options) {
    ScriptedSeq2Seq m = new ScriptedSeq2Seq(backend(), 6, EOS, false);
    m.script(7).after().probs(2, .5, 3, .3, 4, .2);
    int[] keys = new int[N];
    int[] lengths = new int[N];
    Arrays.fill(keys, 7);
    Arrays.fill(lengths, 1);
    Tensor[] s = ScriptedSeq2Seq.sources(backend(), keys, lengths);
    List<DecodingResult> results = new SamplingDecoder(options).decode(m, s[0], s[1]);
    double[] f = new double[6];
    for (DecodingResult r : results) {
      assertThat(r.tokens()).hasSize(1);
      f[r.tokens()[0]] += 1.0 / N;
    }
    return f;
  }

  @Test
  void samplesFollowTheModelDistribution() {
    double[] f = frequencies(options(3).optSeed(1).build());
    assertThat(f[2]).isCloseTo(.5, LOOSE);
    assertThat(f[3]).isCloseTo(.3, LOOSE);
    assertThat(f[4]).isCloseTo(.2, LOOSE);
  }

  @Test
  void temperatureFlattensTheDistribution() {
    // T = 2: p_i^(1/2) renormalised.
    double z = Math.sqrt(.5) + Math.sqrt(.3) + Math.sqrt(.2);
    double[] f = frequencies(options(3).optSeed(2).optTemperature(2).build());
    assertThat(f[2]).isCloseTo(Math.sqrt(.5) / z, LOOSE);
    assertThat(f[3]).isCloseTo(Math.sqrt(.3) / z, LOOSE);
    assertThat(f[4]).isCloseTo(Math.sqrt(.2) / z, LOOSE);
  }

  @Test
  void topKRenormalisesOverTheKMostLikelyTokens() {
    double[] f = frequencies(options(3).optSeed(3).optTopK(2).build());
    assertThat(f[2]).isCloseTo(.5 / .8, LOOSE);
    assertThat(f[3]).isCloseTo(.3 / .8, LOOSE);
    assertThat(f[4]).isZero();
  }
}
