package dev.seq2seq.models.transformer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seq2seq.api.random.Rng;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Tensor;
import dev.seq2seq.models.decoding.BeamSearchDecoder;
import dev.seq2seq.models.decoding.Decoder;
import dev.seq2seq.models.decoding.DecodingOptions;
import dev.seq2seq.models.decoding.DecodingResult;
import dev.seq2seq.models.decoding.GreedyDecoder;
import dev.seq2seq.models.decoding.Hypothesis;
import dev.seq2seq.models.layers.ModelTestSupport;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The framework's decoders drive a {@link TransformerSeq2Seq} through encode / step / select only. */
class TransformerDecodingTest extends ModelTestSupport {
  private static final int SOS = 1;
  private static final int EOS = 2;
  private static final int[][] SOURCES = {{3, 4, 5, 6}, {7, 3}, {5, 5, 8}};

  private final TransformerSeq2Seq model = TransformerSeq2Seq.builder().setBackend(backend()).optDType(DType.FLOAT64)
      .setVocabularies(9, 9).setModelSize(8).setHeads(2).optNumLayers(1, 2).optFeedForwardSize(16).optMaxLength(12)
      .setRng(new Rng(23)).build();

  {
    model.setTraining(false);
  }

  private List<DecodingResult> decode(Decoder decoder, int[]... sources) {
    int length = 0;
    for (int[] s : sources) {
      length = Math.max(length, s.length);
    }
    int[] ids = new int[sources.length * length];
    double[] mask = new double[ids.length];
    for (int b = 0; b < sources.length; b++) {
      for (int s = 0; s < sources[b].length; s++) {
        ids[b * length + s] = sources[b][s];
        mask[b * length + s] = 1;
      }
    }
    Tensor source = ints(ids, sources.length, length);
    return decoder.decode(model, source, t(DType.FLOAT64, mask, sources.length, length));
  }

  private static DecodingOptions.Builder options() {
    return DecodingOptions.builder().setSosId(SOS).setEosId(EOS).setMaxLength(6);
  }

  @Test
  void beamSearchOfSizeOneEqualsGreedy() {
    List<DecodingResult> greedy = decode(new GreedyDecoder(options().build()), SOURCES);
    List<DecodingResult> beam = decode(new BeamSearchDecoder(options().optBeamSize(1).build()), SOURCES);
    for (int i = 0; i < SOURCES.length; i++) {
      assertThat(beam.get(i).tokens()).as("input %s", i).containsExactly(greedy.get(i).tokens());
      assertThat(beam.get(i).logProb()).isCloseTo(greedy.get(i).logProb(), org.assertj.core.data.Offset.offset(1e-9));
    }
  }

  @Test
  void batchedBeamSearchEqualsEachInputAlone() {
    BeamSearchDecoder decoder = new BeamSearchDecoder(options().optBeamSize(3).optNBest(2).optLengthPenalty(0.6).build());
    List<DecodingResult> batched = decode(decoder, SOURCES);
    for (int i = 0; i < SOURCES.length; i++) {
      List<Hypothesis> alone = decode(decoder, SOURCES[i]).get(0).hypotheses();
      List<Hypothesis> together = batched.get(i).hypotheses();
      assertThat(together).hasSameSizeAs(alone);
      for (int h = 0; h < alone.size(); h++) {
        assertThat(together.get(h).tokens()).as("input %s hypothesis %s", i, h).containsExactly(alone.get(h).tokens());
        assertThat(together.get(h).logProb()).isCloseTo(alone.get(h).logProb(), org.assertj.core.data.Offset.offset(1e-9));
        for (float[] row : together.get(h).attention()) {
          assertThat(row).as("one attention column per real source token").hasSize(SOURCES[i].length);
        }
      }
    }
  }
}
