package dev.seq2seq.models.decoding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seq2seq.api.conformance.Tolerances;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Tensor;
import dev.seq2seq.models.seq2seq.RnnSeq2Seq;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The decoders on a real {@link RnnSeq2Seq} (GRU, Bahdanau attention, random weights, float64, ejml). */
class RnnDecodingTest extends DecodingTestSupport {
  private static final DType F64 = DType.FLOAT64;
  private static final int[][] SOURCES = randomSources(5, 6);

  private final RnnSeq2Seq model = rnnModel(F64, 3);

  private List<DecodingResult> decode(Decoder decoder, int[]... sources) {
    Tensor[] b = batch(F64, sources);
    return decoder.decode(model, b[0], b[1]);
  }

  @Test
  void theModelEndsSomeOutputsWithEosAndRunsOthersToTheLimit() {
    List<DecodingResult> greedy = decode(new GreedyDecoder(options(8).build()), randomSources(11, 16));
    assertThat(greedy).anyMatch(r -> r.best().finished()).anyMatch(r -> !r.best().finished());
  }

  @Test
  void beamSearchWithBeamSizeOneEqualsGreedy() {
    int[][] sources = randomSources(11, 16);
    List<DecodingResult> greedy = decode(new GreedyDecoder(options(8).build()), sources);
    List<DecodingResult> beam = decode(new BeamSearchDecoder(options(8).optBeamSize(1).build()), sources);
    for (int i = 0; i < sources.length; i++) {
      assertSameHypotheses(beam.get(i).hypotheses(), greedy.get(i).hypotheses(), Tolerances.FLOAT64, "input " + i);
    }
  }

  @Test
  void batchedBeamSearchEqualsEachInputAlone() {
    BeamSearchDecoder decoder = new BeamSearchDecoder(options(8).optBeamSize(4).optNBest(3).optLengthPenalty(0.6).build());
    List<DecodingResult> batched = decode(decoder, SOURCES);
    for (int i = 0; i < SOURCES.length; i++) {
      List<DecodingResult> alone = decode(decoder, SOURCES[i]);
      assertSameHypotheses(batched.get(i).hypotheses(), alone.get(0).hypotheses(), Tolerances.FLOAT64, "input " + i);
      for (Hypothesis h : batched.get(i).hypotheses()) {
        for (float[] row : h.attention()) {
          assertThat(row).as("input %s: one attention column per real source token", i).hasSize(SOURCES[i].length);
        }
      }
    }
  }

  @Test
  void batchedGreedyAndSamplingEqualEachInputAlone() {
    GreedyDecoder greedy = new GreedyDecoder(options(8).build());
    List<DecodingResult> batched = decode(greedy, SOURCES);
    for (int i = 0; i < SOURCES.length; i++) {
      assertSameHypotheses(batched.get(i).hypotheses(), decode(greedy, SOURCES[i]).get(0).hypotheses(), Tolerances.FLOAT64, "greedy input " + i);
    }
    // Input i samples from fork(i) of the seed, so alone it must sit at position 0 of a batch
    // whose other rows do not matter: compare the first input only.
    SamplingDecoder sampling = new SamplingDecoder(options(8).optSeed(4).build());
    assertSameHypotheses(decode(sampling, SOURCES).get(0).hypotheses(), decode(sampling, SOURCES[0]).get(0).hypotheses(),
        Tolerances.FLOAT64, "sampling input 0");
  }

  @Test
  void beamSearchScoresAtLeastAsWellAsGreedyWithoutPenalty() {
    List<DecodingResult> greedy = decode(new GreedyDecoder(options(8).build()), SOURCES);
    List<DecodingResult> beam = decode(new BeamSearchDecoder(options(8).optBeamSize(5).build()), SOURCES);
    for (int i = 0; i < SOURCES.length; i++) {
      assertThat(beam.get(i).score()).as("input %s", i).isGreaterThanOrEqualTo(greedy.get(i).score() - 1e-12);
    }
  }

  @Test
  void samplingNearZeroTemperatureOrTopOneIsGreedy() {
    List<DecodingResult> greedy = decode(new GreedyDecoder(options(8).build()), SOURCES);
    List<DecodingResult> cold = decode(new SamplingDecoder(options(8).optTemperature(1e-6).optSeed(9).build()), SOURCES);
    List<DecodingResult> topOne = decode(new SamplingDecoder(options(8).optTopK(1).optSeed(9).build()), SOURCES);
    for (int i = 0; i < SOURCES.length; i++) {
      assertSameHypotheses(cold.get(i).hypotheses(), greedy.get(i).hypotheses(), Tolerances.FLOAT64, "temperature 1e-6, input " + i);
      assertSameHypotheses(topOne.get(i).hypotheses(), greedy.get(i).hypotheses(), Tolerances.FLOAT64, "top-1, input " + i);
    }
  }

  @Test
  void samplingIsReproducibleFromItsSeed() {
    SamplingDecoder decoder = new SamplingDecoder(options(8).optSeed(21).build());
    List<DecodingResult> first = decode(decoder, SOURCES);
    assertThat(decode(decoder, SOURCES)).isEqualTo(first);
    List<DecodingResult> otherSeed = decode(new SamplingDecoder(options(8).optSeed(22).build()), SOURCES);
    assertThat(otherSeed).isNotEqualTo(first);
    dev.seq2seq.api.random.Rng rng = new dev.seq2seq.api.random.Rng(21);
    Tensor[] b = batch(F64, SOURCES);
    assertThat(decoder.decode(model, b[0], b[1], rng)).as("new Rng(seed) is what decode uses").isEqualTo(first);
    assertThat(decoder.decode(model, b[0], b[1], rng)).as("the explicit Rng advanced: fresh samples").isNotEqualTo(first);
  }

  @Test
  void aModelInTrainingModeOrBadInputsAreRefused() {
    RnnSeq2Seq training = rnnModel(F64, 3);
    training.setTraining(true);
    Tensor[] b = batch(F64, SOURCES);
    assertThatThrownBy(() -> new GreedyDecoder(options(5).build()).decode(training, b[0], b[1]))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("training mode").hasMessageContaining("setTraining(false)");
    assertThatThrownBy(() -> new BeamSearchDecoder(DecodingOptions.builder().setSosId(0).setEosId(TARGET_VOCAB).setMaxLength(5).build())
        .decode(model, b[0], b[1])).hasMessageContaining("eos id 12 outside the target vocabulary [0, 12)");
    assertThatThrownBy(() -> new SamplingDecoder(options(5).optTopK(13).build()).decode(model, b[0], b[1]))
        .hasMessageContaining("top-k 13 exceeds the target vocabulary size 12");
    assertThatThrownBy(() -> new GreedyDecoder(options(5).build()).decode(model, b[1], b[1]))
        .hasMessageContaining("source must be int32");
  }
}
