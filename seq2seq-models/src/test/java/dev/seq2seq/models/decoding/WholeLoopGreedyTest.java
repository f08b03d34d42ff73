package dev.seq2seq.models.decoding;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seq2seq.api.backend.Backend;
import dev.seq2seq.api.backend.Backends;
import dev.seq2seq.api.compile.Steps;
import dev.seq2seq.api.conformance.Tolerances;
import dev.seq2seq.api.module.Module;
import dev.seq2seq.api.module.Parameter;
import dev.seq2seq.api.nn.Seq2Seq;
import dev.seq2seq.api.random.Rng;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Tensor;
import dev.seq2seq.api.tensor.Tensors;
import dev.seq2seq.models.attention.BahdanauAttention;
import dev.seq2seq.models.attention.LuongAttention;
import dev.seq2seq.models.decoding.GreedyDecoder.Execution;
import dev.seq2seq.models.rnn.GruCell;
import dev.seq2seq.models.rnn.LstmCell;
import dev.seq2seq.models.seq2seq.AttentionStyle;
import dev.seq2seq.models.seq2seq.RnnSeq2Seq;
import dev.seq2seq.models.transformer.TransformerSeq2Seq;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Greedy decoding as one fixed-length (compilable) loop gives the step-by-step loop's hypotheses:
 * exactly on ejml, where the loop runs eagerly, and within float64 tolerance on tensorflow, where it
 * is compiled (compared with the stepwise loop on the same backend).
 */
class WholeLoopGreedyTest extends DecodingTestSupport {
  private static final Backend TF = Backends.get("tensorflow");
  private static final int[][] SOURCES = randomSources(11, 16);
  private static final int MAX = 8;

  private RnnSeq2Seq gruBahdanau(Backend b, DType dtype) {
    RnnSeq2Seq model = RnnSeq2Seq.builder().setBackend(b).optDType(dtype).setVocabularies(10, TARGET_VOCAB)
        .setCell(GruCell.factory(b, dtype)).setHiddenSize(8).setEmbeddingSize(6).optBidirectionalEncoder(true)
        .optAttention(AttentionStyle.BAHDANAU, (q, k, rng) -> new BahdanauAttention(b, dtype, q, k, q, rng))
        .setRng(new Rng(3)).build();
    return seeded(model, 3);
  }

  private RnnSeq2Seq lstmLuongTwoLayers(Backend b, DType dtype) {
    RnnSeq2Seq model = RnnSeq2Seq.builder().setBackend(b).optDType(dtype).setVocabularies(10, TARGET_VOCAB)
        .setCell(LstmCell.factory(b, dtype)).setHiddenSize(8).setEmbeddingSize(6).optNumLayers(2)
        .optAttention(AttentionStyle.LUONG, (q, k, rng) -> LuongAttention.general(b, dtype, q, k, rng))
        .setRng(new Rng(4)).build();
    return seeded(model, 4);
  }

  private RnnSeq2Seq gruWithoutAttention(Backend b, DType dtype) {
    RnnSeq2Seq model = RnnSeq2Seq.builder().setBackend(b).optDType(dtype).setVocabularies(10, TARGET_VOCAB)
        .setCell(GruCell.factory(b, dtype)).setHiddenSize(8).setEmbeddingSize(6).setRng(new Rng(5)).build();
    return seeded(model, 5);
  }

  private TransformerSeq2Seq transformer(Backend b, DType dtype) {
    TransformerSeq2Seq model = TransformerSeq2Seq.builder().setBackend(b).optDType(dtype).setVocabularies(10, TARGET_VOCAB)
        .setModelSize(8).setHeads(2).optNumLayers(2, 2).optFeedForwardSize(16).optDropout(0).setRng(new Rng(6)).build();
    return seeded(model, 6);
  }

  /** Seeded weights (the same on every backend) and evaluation mode. */
  private <M extends Module> M seeded(M model, long seed) {
    long s = seed * 1000;
    for (Parameter p : model.parameters()) {
      int[] dims = p.shape().toArray();
      p.set(Tensors.of(model.parameters().get(0).value().backend(), p.value().dtype(), random(s++, -1.5, 1.5, dims), p.shape()));
    }
    model.setTraining(false);
    return model;
  }

  private List<DecodingResult> decode(Execution execution, Seq2Seq model, Backend b, DType dtype) {
    Tensor[] ejml = batch(dtype, SOURCES);
    Tensor source = Tensors.of(b, ejml[0].toIntArray(), ejml[0].shape().toArray());
    Tensor mask = Tensors.of(b, dtype, ejml[1].toDoubleArray(), ejml[1].shape());
    return new GreedyDecoder(options(MAX).build(), execution).decode(model, source, mask);
  }

  /**
   * Whether the seeded model {@code what} ends some rows with {@code <eos>} and runs others to the
   * limit (the GRU-with-Bahdanau weights do; the others never emit {@code <eos>}, and cover the
   * loop's shapes and attention instead).
   */
  private static boolean endsBothWays(String what) {
    return what.contains("Bahdanau");
  }

  private void sameOnEjml(Function<Backend, Seq2Seq> factory, DType dtype, String what) {
    Seq2Seq model = factory.apply(backend());
    List<DecodingResult> stepwise = decode(Execution.STEPWISE, model, backend(), dtype);
    List<DecodingResult> whole = decode(Execution.WHOLE_LOOP, model, backend(), dtype);
    if (endsBothWays(what)) {
      assertThat(stepwise).as("%s: the test needs rows ending with <eos> and rows cut at the limit", what)
          .anyMatch(r -> r.best().finished()).anyMatch(r -> !r.best().finished());
    }
    assertThat(whole).as("%s: whole loop vs stepwise on ejml, bit for bit", what).isEqualTo(stepwise);
  }

  @Test
  void theWholeLoopEqualsTheStepwiseLoopExactlyOnEjml() {
    sameOnEjml(b -> gruBahdanau(b, DType.FLOAT64), DType.FLOAT64, "GRU + Bahdanau, float64");
    sameOnEjml(b -> gruBahdanau(b, DType.FLOAT32), DType.FLOAT32, "GRU + Bahdanau, float32");
    sameOnEjml(b -> lstmLuongTwoLayers(b, DType.FLOAT32), DType.FLOAT32, "2-layer LSTM + Luong general, float32");
    sameOnEjml(b -> gruWithoutAttention(b, DType.FLOAT32), DType.FLOAT32, "GRU without attention, float32");
    sameOnEjml(b -> transformer(b, DType.FLOAT32), DType.FLOAT32, "Transformer 2+2, float32");
  }

  private void sameOnTensorFlow(Function<Backend, Seq2Seq> factory, String what) {
    Seq2Seq model = factory.apply(TF);
    GreedyDecoder auto = new GreedyDecoder(options(MAX).build());
    assertThat(auto.wholeLoop(model, TF)).as("%s: AUTO compiles the whole loop on tensorflow", what).isTrue();
    List<DecodingResult> stepwise = decode(Execution.STEPWISE, model, TF, DType.FLOAT64);
    List<DecodingResult> compiled = decode(Execution.AUTO, model, TF, DType.FLOAT64);
    if (endsBothWays(what)) {
      assertThat(stepwise).as("%s: the test needs rows ending with <eos> and rows cut at the limit", what)
          .anyMatch(r -> r.best().finished()).anyMatch(r -> !r.best().finished());
    }
    for (int i = 0; i < SOURCES.length; i++) {
      assertSameHypotheses(compiled.get(i).hypotheses(), stepwise.get(i).hypotheses(), Tolerances.FLOAT64,
          what + ": compiled vs stepwise on tensorflow, input " + i);
    }
  }

  @Test
  void theCompiledLoopMatchesTheStepwiseLoopOnTensorFlow() {
    sameOnTensorFlow(b -> gruBahdanau(b, DType.FLOAT64), "GRU + Bahdanau");
    sameOnTensorFlow(b -> lstmLuongTwoLayers(b, DType.FLOAT64), "2-layer LSTM + Luong general");
    sameOnTensorFlow(b -> gruWithoutAttention(b, DType.FLOAT64), "GRU without attention");
    sameOnTensorFlow(b -> transformer(b, DType.FLOAT64), "Transformer 2+2");
  }

  @Test
  void oneDecoderFollowsNewWeightsAndNewBatchShapes() {
    RnnSeq2Seq model = gruBahdanau(TF, DType.FLOAT64);
    GreedyDecoder compiled = new GreedyDecoder(options(MAX).build());
    GreedyDecoder stepwise = new GreedyDecoder(options(MAX).build(), Execution.STEPWISE);
    Tensor[] full = batch(DType.FLOAT64, SOURCES);
    Tensor[] three = batch(DType.FLOAT64, SOURCES[0], SOURCES[1], SOURCES[2]);
    for (int round = 0; round < 2; round++) {
      for (Tensor[] b : List.of(full, three)) {
        Tensor source = Tensors.of(TF, b[0].toIntArray(), b[0].shape().toArray());
        Tensor mask = Tensors.of(TF, DType.FLOAT64, b[1].toDoubleArray(), b[1].shape());
        List<DecodingResult> expected = stepwise.decode(model, source, mask);
        List<DecodingResult> actual = compiled.decode(model, source, mask);
        for (int i = 0; i < expected.size(); i++) {
          assertSameHypotheses(actual.get(i).hypotheses(), expected.get(i).hypotheses(), Tolerances.FLOAT64,
              "round " + round + ", batch of " + expected.size() + ", input " + i);
        }
      }
      seeded(model, 77); // new weights: the compiled loop must read them, not the traced ones
    }
  }

  @Test
  void theSwitchKeepsDecodingStepwise() {
    RnnSeq2Seq model = gruBahdanau(TF, DType.FLOAT64);
    GreedyDecoder auto = new GreedyDecoder(options(MAX).build());
    assertThat(auto.wholeLoop(model, backend())).as("ejml does not compile: AUTO stays stepwise").isFalse();
    for (String property : List.of(GreedyDecoder.PROPERTY, Steps.PROPERTY)) {
      String before = System.getProperty(property);
      System.setProperty(property, "false");
      try {
        assertThat(auto.wholeLoop(model, TF)).as("-D%s=false keeps AUTO stepwise", property).isFalse();
      } finally {
        if (before == null) {
          System.clearProperty(property);
        } else {
          System.setProperty(property, before);
        }
      }
    }
    assertThat(new GreedyDecoder(options(MAX).build(), Execution.STEPWISE).wholeLoop(model, TF)).isFalse();
  }
}
