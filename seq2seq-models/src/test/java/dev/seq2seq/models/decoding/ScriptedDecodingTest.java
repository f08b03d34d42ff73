package dev.seq2seq.models.decoding;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seq2seq.api.conformance.Tolerances;
import dev.seq2seq.api.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Hand-checked cases on a scripted model (vocabulary: 0 = sos, 1 = eos, 2..5 words).
 *
 * <p>Script A (source key 1) — greedy misses the best sequence:
 *
 * <pre>
 *   ""     : 2 .5   3 .4   eos .1
 *   [2]    : 4 .4   5 .35  eos .25
 *   [3]    : eos .9 4 .1
 *   [2 5]  : eos .6 4 .4
 *   (every other prefix: eos 1)
 * </pre>
 *
 * Greedy: 2 (.5), 4 (.4), eos (1): P = .2. Beam k = 2: step 2 sees [3 eos] = .36 (finished, set
 * aside), [2 4] = .2 and [2 5] = .175 (live); step 3 finishes [2 4 eos] = .2 and [2 5 eos] = .105;
 * the pool {.36, .2} is full and the best live [2 5 4] = .07 cannot beat .2: stop after 3 steps.
 *
 * <p>Script B (source key 2) — the length penalty changes the winner:
 *
 * <pre>
 *   ""       : 2 .6   3 .4
 *   [2]      : eos .5  4 .3  5 .2       short: [2 eos]        P = .3,  |Y| = 2
 *   [3]      : 4 1
 *   [3 4]    : 5 1
 *   [3 4 5]  : eos .625  2 .375         long:  [3 4 5 eos]    P = .25, |Y| = 4
 * </pre>
 *
 * alpha = 0: short wins (log .3 > log .25). alpha = 1: lp(2) = 7/6, lp(4) = 9/6, and log(.25) / 1.5
 * = -0.924 > log(.3) / (7/6) = -1.032: long wins.
 *
 * <p>Script C (source key 3): every prefix gives 2 .9, eos .1 — never ends on its own.
 *
 * <p>Script D (source key 4) — stopping must use the bound {@code L / lp(maxLength)}, not {@code L}:
 *
 * <pre>
 *   ""     : eos .5  2 .3  3 .2     [eos]      P = .5,  |Y| = 1: score log .5 / lp(1) = -0.693
 *   [3]    : eos 1                  [3 eos]    P = .2,  |Y| = 2: score log .2 / (7/6) = -1.379
 *   [2]    : 4 .7  5 .3             [2 4] live after step 2 with L = log .21 = -1.561
 *   [2 4]  : eos 1                  [2 4 eos]  P = .21, |Y| = 3: score log .21 / (8/6) = -1.171
 * </pre>
 *
 * With k = 2 and alpha = 1 the pool is full after step 2 with worst -1.379 and the best live
 * {@code L = -1.561} is below it; but {@code L / lp(10) = -0.624 > -1.379}, so the search goes on
 * and [2 4 eos] replaces [3 eos]. Stopping on {@code L <= worst} would have missed it.
 */
class ScriptedDecodingTest extends DecodingTestSupport {
  private static final int V = 6;

  private ScriptedSeq2Seq scripted(boolean attention) {
    ScriptedSeq2Seq m = new ScriptedSeq2Seq(backend(), V, EOS, attention);
    m.script(1).after().probs(2, .5, 3, .4, EOS, .1)
        .after(2).probs(4, .4, 5, .35, EOS, .25)
        .after(3).probs(EOS, .9, 4, .1)
        .after(2, 5).probs(EOS, .6, 4, .4);
    m.script(2).after().probs(2, .6, 3, .4)
        .after(2).probs(EOS, .5, 4, .3, 5, .2)
        .after(3).probs(4, 1)
        .after(3, 4).probs(5, 1)
        .after(3, 4, 5).probs(EOS, .625, 2, .375);
    m.script(4).after().probs(EOS, .5, 2, .3, 3, .2)
        .after(2).probs(4, .7, 5, .3);
    ScriptedSeq2Seq.Script c = m.script(3);
    for (int n = 0; n <= 10; n++) {
      int[] twos = new int[n];
      java.util.Arrays.fill(twos, 2);
      c.after(twos).probs(2, .9, EOS, .1);
    }
    return m;
  }

  private Tensor[] sources(int... keys) {
    int[] lengths = new int[keys.length];
    java.util.Arrays.fill(lengths, 3);
    return ScriptedSeq2Seq.sources(backend(), keys, lengths);
  }

  private List<DecodingResult> greedy(ScriptedSeq2Seq m, int maxLength, int... keys) {
    Tensor[] s = sources(keys);
    return new GreedyDecoder(options(maxLength).build()).decode(m, s[0], s[1]);
  }

  private List<DecodingResult> beam(ScriptedSeq2Seq m, DecodingOptions o, int... keys) {
    Tensor[] s = sources(keys);
    return new BeamSearchDecoder(o).decode(m, s[0], s[1]);
  }

  private static void assertScore(double actual, double expected, String what) {
    assertClose(new double[] {actual}, new double[] {expected}, Tolerances.FLOAT64, what);
  }

  private static double lp(int length, double alpha) {
    return Math.pow(5 + length, alpha) / Math.pow(5 + 1, alpha);
  }

  @Test
  void greedyFollowsTheArgmaxPath() {
    DecodingResult a = greedy(scripted(false), 10, 1).get(0);
    assertThat(a.tokens()).containsExactly(2, 4);
    assertThat(a.best().finished()).isTrue();
    assertThat(a.best().length()).isEqualTo(3);
    assertScore(a.logProb(), Math.log(.5) + Math.log(.4) + Math.log(1), "greedy log-probability of [2 4 eos]");
    assertThat(a.score()).isEqualTo(a.logProb());
    assertThat(a.attention()).as("the model has no attention").isNull();
  }

  @Test
  void beamSearchFindsTheBetterSequenceGreedyMisses() {
    ScriptedSeq2Seq m = scripted(false);
    DecodingResult r = beam(m, options(10).optBeamSize(2).optNBest(2).build(), 1).get(0);
    assertThat(r.tokens()).as("[3 eos] = .36 beats greedy's [2 4 eos] = .2").containsExactly(3);
    assertScore(r.logProb(), Math.log(.4) + Math.log(.9), "log P of [3 eos]");
    assertThat(r.hypotheses()).hasSize(2);
    assertThat(r.hypotheses().get(1).tokens()).containsExactly(2, 4);
    assertScore(r.hypotheses().get(1).score(), Math.log(.5) + Math.log(.4), "log P of [2 4 eos]");
    assertThat(m.steps.get()).as("stops after step 3: no live hypothesis can beat the pool").isEqualTo(3);
  }

  @Test
  void eosEndsOneHypothesisWhileTheBeamContinuesWithOthers() {
    ScriptedSeq2Seq m = scripted(false);
    beam(m, options(10).optBeamSize(2).build(), 1);
    // step 1: the empty prefix; step 2: [2], [3]; [3 eos] finishes at step 2 and step 3 still
    // runs two live hypotheses ([2 4], [2 5]).
    assertThat(m.stepBatchSizes).containsExactly(1, 2, 2);
  }

  @Test
  void lengthPenaltyChangesTheWinnerExactlyAsTheFormulaSays() {
    DecodingOptions base = options(10).optBeamSize(2).optNBest(2).build();
    DecodingResult plain = beam(scripted(false), base, 2).get(0);
    assertThat(plain.tokens()).as("alpha = 0: the short [2 eos]").containsExactly(2);
    assertScore(plain.score(), Math.log(.3), "score of [2 eos], alpha 0");
    assertThat(plain.hypotheses().get(1).tokens()).containsExactly(3, 4, 5);
    assertScore(plain.hypotheses().get(1).score(), Math.log(.25), "score of [3 4 5 eos], alpha 0");

    DecodingResult penalised = beam(scripted(false), base.toBuilder().optLengthPenalty(1.0).build(), 2).get(0);
    assertThat(penalised.tokens()).as("alpha = 1: the long [3 4 5 eos]").containsExactly(3, 4, 5);
    assertScore(penalised.logProb(), Math.log(.25), "log P of [3 4 5 eos]");
    assertScore(penalised.score(), Math.log(.25) / lp(4, 1.0), "log(.25) / lp(4)");
    Hypothesis second = penalised.hypotheses().get(1);
    assertThat(second.tokens()).containsExactly(2);
    assertScore(second.score(), Math.log(.3) / lp(2, 1.0), "log(.3) / lp(2)");
    assertThat(penalised.score()).isGreaterThan(second.score());
    assertScore(BeamSearchDecoder.lengthPenalty(4, 0.6), Math.pow(9, 0.6) / Math.pow(6, 0.6), "lp(4), alpha 0.6");
  }

  @Test
  void withALengthPenaltyTheSearchGoesOnWhileALiveHypothesisCouldStillWin() {
    DecodingResult r = beam(scripted(false), options(10).optBeamSize(2).optNBest(2).optLengthPenalty(1).build(), 4).get(0);
    assertThat(r.tokens()).as("[eos] first").isEmpty();
    assertScore(r.score(), Math.log(.5) / lp(1, 1), "[eos]");
    Hypothesis second = r.hypotheses().get(1);
    assertThat(second.tokens()).as("[2 4 eos] found after the pool was full").containsExactly(2, 4);
    assertScore(second.score(), Math.log(.3 * .7) / lp(3, 1), "log(.21) / lp(3)");
    assertThat(second.score()).isGreaterThan(Math.log(.2) / lp(2, 1));

    DecodingResult plain = beam(scripted(false), options(10).optBeamSize(2).optNBest(2).build(), 4).get(0);
    assertThat(plain.hypotheses().get(1).tokens()).as("alpha = 0 finds it too: .21 > .2").containsExactly(2, 4);
  }

  @Test
  void nBestIsOrderedByScore() {
    for (int key = 1; key <= 4; key++) {
      for (double alpha : new double[] {0, 0.6, 2}) {
        DecodingResult r = beam(scripted(false), options(6).optBeamSize(4).optNBest(4).optLengthPenalty(alpha).build(), key).get(0);
        assertThat(r.hypotheses()).as("source %s, alpha %s", key, alpha).hasSizeBetween(2, 4);
        for (int i = 1; i < r.hypotheses().size(); i++) {
          assertThat(r.hypotheses().get(i).score()).as("source %s, alpha %s: n-best score %s", key, alpha, i)
              .isLessThanOrEqualTo(r.hypotheses().get(i - 1).score());
        }
      }
    }
  }

  @Test
  void maximumLengthIsRespectedAndLiveHypothesesAreFinalizedThere() {
    DecodingResult g = greedy(scripted(false), 4, 3).get(0);
    assertThat(g.tokens()).containsExactly(2, 2, 2, 2);
    assertThat(g.best().finished()).isFalse();
    assertThat(g.best().length()).isEqualTo(4);
    assertScore(g.logProb(), 4 * Math.log(.9), "greedy, cut at 4");

    DecodingResult b = beam(scripted(false), options(4).optBeamSize(2).optNBest(2).build(), 3).get(0);
    assertThat(b.tokens()).containsExactly(2, 2, 2, 2);
    assertThat(b.best().finished()).isFalse();
    assertScore(b.score(), 4 * Math.log(.9), "beam, cut at 4");
    Hypothesis second = b.hypotheses().get(1);
    assertThat(second.tokens()).as("[eos] at step 1").isEmpty();
    assertThat(second.finished()).isTrue();
    assertScore(second.score(), Math.log(.1), "[eos]");

    DecodingResult penalised = beam(scripted(false), options(4).optBeamSize(2).optLengthPenalty(0.8).build(), 3).get(0);
    assertScore(penalised.score(), 4 * Math.log(.9) / lp(4, 0.8), "cut hypotheses are penalised with |Y| = maxLength");

    for (DecodingResult s : new SamplingDecoder(options(4).build()).decode(scripted(false), sources(3, 3, 3)[0], sources(3, 3, 3)[1])) {
      assertThat(s.best().length()).isLessThanOrEqualTo(4);
    }
  }

  @Test
  void attentionHasOneRowPerTokenAndOneColumnPerRealSourcePosition() {
    ScriptedSeq2Seq m = scripted(true);
    // source 0 has 2 real positions of 3; the scripted model looks at position t-1 at step t.
    Tensor[] s = ScriptedSeq2Seq.sources(backend(), new int[] {1, 2}, new int[] {2, 3});
    List<DecodingResult> greedy = new GreedyDecoder(options(10).build()).decode(m, s[0], s[1]);
    assertThat(greedy.get(0).attention()).isDeepEqualTo(new float[][] {{1, 0}, {0, 1}});
    assertThat(greedy.get(1).tokens()).containsExactly(2);
    assertThat(greedy.get(1).attention()).isDeepEqualTo(new float[][] {{1, 0, 0}});
    List<DecodingResult> beam = new BeamSearchDecoder(options(10).optBeamSize(2).optNBest(2).build()).decode(m, s[0], s[1]);
    assertThat(beam.get(0).tokens()).containsExactly(3);
    assertThat(beam.get(0).attention()).isDeepEqualTo(new float[][] {{1, 0}});
    assertThat(beam.get(0).hypotheses().get(1).attention()).isDeepEqualTo(new float[][] {{1, 0}, {0, 1}});
  }

  @Test
  void batchedBeamSearchEqualsEachInputAlone() {
    DecodingOptions o = options(6).optBeamSize(3).optNBest(3).optLengthPenalty(0.6).build();
    List<DecodingResult> batched = beam(scripted(true), o, 1, 2, 3, 2, 4);
    int[] keys = {1, 2, 3, 2, 4};
    for (int i = 0; i < keys.length; i++) {
      assertThat(batched.get(i)).as("input %s", i).isEqualTo(beam(scripted(true), o, keys[i]).get(0));
    }
  }
}
