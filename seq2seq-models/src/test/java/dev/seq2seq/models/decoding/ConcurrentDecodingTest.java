package dev.seq2seq.models.decoding;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Tensor;
import dev.seq2seq.models.seq2seq.RnnSeq2Seq;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * One loaded model (float32, ejml) and one decoder of each kind shared by 4 threads decoding 16
 * inputs one by one, interleaved: every result equals, bit for bit, the sequential one.
 */
class ConcurrentDecodingTest extends DecodingTestSupport {
  private static final int INPUTS = 16;
  private static final int THREADS = 4;

  @Test
  void concurrentDecodingEqualsSequentialDecoding() throws Exception {
    RnnSeq2Seq model = rnnModel(DType.FLOAT32, 8);
    int[][] sources = randomSources(13, INPUTS);
    List<Decoder> decoders = List.of(
        new GreedyDecoder(options(10).build()),
        new BeamSearchDecoder(options(10).optBeamSize(3).optNBest(2).optLengthPenalty(0.6).build()),
        new SamplingDecoder(options(10).optTemperature(0.8).optTopK(5).optSeed(17).build()));

    List<List<DecodingResult>> sequential = new ArrayList<>();
    for (int i = 0; i < INPUTS; i++) {
      sequential.add(decodeAll(decoders, model, sources[i]));
    }

    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      for (int round = 0; round < 3; round++) {
        List<Future<List<DecodingResult>>> futures = new ArrayList<>();
        for (int i = 0; i < INPUTS; i++) {
          int[] source = sources[i];
          futures.add(pool.submit(() -> decodeAll(decoders, model, source)));
        }
        for (int i = 0; i < INPUTS; i++) {
          assertThat(futures.get(i).get(60, TimeUnit.SECONDS)).as("round %s, input %s", round, i).isEqualTo(sequential.get(i));
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private List<DecodingResult> decodeAll(List<Decoder> decoders, RnnSeq2Seq model, int[] source) {
    Tensor[] b = batch(DType.FLOAT32, source);
    List<DecodingResult> out = new ArrayList<>();
    for (Decoder d : decoders) {
      out.addAll(d.decode(model, b[0], b[1]));
    }
    return out;
  }
}
