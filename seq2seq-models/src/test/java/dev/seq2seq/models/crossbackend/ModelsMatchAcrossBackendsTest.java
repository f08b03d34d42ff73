package dev.seq2seq.models.crossbackend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seq2seq.api.backend.Backend;
import dev.seq2seq.api.backend.Backends;
import dev.seq2seq.api.conformance.ConformanceSupport;
import dev.seq2seq.api.conformance.Tolerance;
import dev.seq2seq.api.conformance.Tolerances;
import dev.seq2seq.api.module.Module;
import dev.seq2seq.api.module.Parameter;
import dev.seq2seq.api.nn.Attention;
import dev.seq2seq.api.nn.Seq2Seq;
import dev.seq2seq.api.nn.Seq2SeqBatch;
import dev.seq2seq.api.random.Rng;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Gradients;
import dev.seq2seq.api.tensor.Shape;
import dev.seq2seq.api.tensor.Tensor;
import dev.seq2seq.api.tensor.Tensors;
import dev.seq2seq.models.attention.Masks;
import dev.seq2seq.models.attention.MultiHeadAttention;
import dev.seq2seq.models.attention.ScaledDotProductAttention;
import dev.seq2seq.models.inject.AttentionType;
import dev.seq2seq.models.inject.BuiltInAttention;
import dev.seq2seq.models.inject.BuiltInCells;
import dev.seq2seq.models.inject.CellType;
import dev.seq2seq.models.loss.CrossEntropyLoss;
import dev.seq2seq.models.rnn.RecurrentLayer;
import dev.seq2seq.models.seq2seq.AttentionStyle;
import dev.seq2seq.models.seq2seq.RnnSeq2Seq;
import dev.seq2seq.models.transformer.TransformerSeq2Seq;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every cell, attention and model family gives the same output, the same loss and the same
 * gradient for every parameter on tensorflow as on ejml: same seed (so the same initial weights),
 * same inputs. Float32 is compared at {@link Tolerances#FLOAT32_MATMUL} (these compositions chain
 * float32 matrix products), float64 at {@link Tolerances#FLOAT64}.
 */
class ModelsMatchAcrossBackendsTest extends ConformanceSupport {
  private static final Backend EJML = Backends.get("ejml");
  private static final Backend TENSORFLOW = Backends.get("tensorflow");

  @Override
  protected Backend backend() {
    return EJML;
  }

  /** Builds a module on a backend and computes its output from seeded inputs on that backend. */
  private record Case(String name, BiFunction<Backend, DType, Module> build, Forward forward) {}

  @FunctionalInterface
  private interface Forward {
    Tensor apply(Module module, Backend backend, DType dtype);
  }

  private static Tensor input(Backend b, DType dt, long seed, int... dims) {
    return Tensors.uniform(b, dt, Shape.of(dims), new Rng(seed), -1, 1);
  }

  private static List<Case> cases() {
    List<Case> cs = new ArrayList<>();
    Map<String, CellType> cells = Map.of("rnn_tanh", BuiltInCells.rnnTanh(), "rnn_relu", BuiltInCells.rnnRelu(),
        "lstm", BuiltInCells.lstm(), "gru", BuiltInCells.gru());
    for (Map.Entry<String, CellType> e : cells.entrySet()) {
      cs.add(new Case("cell " + e.getKey() + ", 2 layers, bidirectional, lengths [4, 2]",
          (b, dt) -> RecurrentLayer.builder().setCell(e.getValue().on(b, dt)).setInputSize(5).setHiddenSize(6)
              .setRng(new Rng(1)).optNumLayers(2).optBidirectional(true).build(),
          (m, b, dt) -> ((RecurrentLayer) m).forward(input(b, dt, 2, 2, 4, 5), new int[] {4, 2}).outputs()));
    }
    Map<String, AttentionType> attentions = Map.of("bahdanau", BuiltInAttention.bahdanau(),
        "luong_dot", BuiltInAttention.luongDot(), "luong_general", BuiltInAttention.luongGeneral(),
        "luong_concat", BuiltInAttention.luongConcat());
    for (Map.Entry<String, AttentionType> e : attentions.entrySet()) {
      cs.add(new Case("attention " + e.getKey() + " with padding",
          (b, dt) -> asModule(e.getValue().create(b, dt, 6, 6, new Rng(3))),
          (m, b, dt) -> attend((Attention) m, b, dt, 6)));
    }
    cs.add(new Case("attention scaled dot-product with padding", (b, dt) -> asModule(new ScaledDotProductAttention()),
        (m, b, dt) -> attend((Attention) m, b, dt, 6)));
    cs.add(new Case("attention multi-head (8, 2 heads) with padding", (b, dt) -> new MultiHeadAttention(b, dt, 8, 2, new Rng(4)),
        (m, b, dt) -> attend((Attention) m, b, dt, 8)));
    for (AttentionStyle style : AttentionStyle.values()) {
      cs.add(new Case("rnn seq2seq (lstm, " + style + ") loss",
          (b, dt) -> RnnSeq2Seq.builder().setBackend(b).optDType(dt).setVocabularies(7, 6)
              .setCell(BuiltInCells.lstm().on(b, dt)).setEmbeddingSize(5).setHiddenSize(6).optNumLayers(2)
              .optBidirectionalEncoder(true)
              .optAttention(style, style == AttentionStyle.NONE ? null : BuiltInAttention.luongGeneral().on(b, dt))
              .setRng(new Rng(5)).build(),
          (m, b, dt) -> seq2seqLoss((RnnSeq2Seq) m, b, dt)));
    }
    for (boolean normFirst : new boolean[] {false, true}) {
      cs.add(new Case("transformer (" + (normFirst ? "pre" : "post") + "-LN, 2+2 layers) loss",
          (b, dt) -> TransformerSeq2Seq.builder().setBackend(b).optDType(dt).setVocabularies(7, 6).setModelSize(8).setHeads(2)
              .optNumLayers(2, 2).optFeedForwardSize(16).optDropout(0).optNormFirst(normFirst).setRng(new Rng(6)).build(),
          (m, b, dt) -> seq2seqLoss((Seq2Seq) m, b, dt)));
    }
    return cs;
  }

  /** Wraps a parameterless attention so the harness can treat every case as a module. */
  private static Module asModule(Attention a) {
    return a instanceof Module ? (Module) a : new AttentionModule(a);
  }

  private static final class AttentionModule extends Module implements Attention {
    private final Attention inner;

    AttentionModule(Attention inner) {
      this.inner = inner;
    }

    @Override
    public dev.seq2seq.api.nn.AttentionResult attend(Tensor q, Tensor k, Tensor v, Tensor mask) {
      return inner.attend(q, k, v, mask);
    }
  }

  private static Tensor attend(Attention a, Backend b, DType dt, int size) {
    Tensor mask = Masks.padding(b, dt, new int[] {5, 3}, 5);
    var r = a.attend(input(b, dt, 6, 2, 3, size), input(b, dt, 7, 2, 5, size), input(b, dt, 8, 2, 5, size), mask);
    return Tensor.concat(List.of(r.context().reshape(-1), r.weights().reshape(-1)), 0);
  }

  private static Tensor seq2seqLoss(Seq2Seq m, Backend b, DType dt) {
    Seq2SeqBatch batch = new Seq2SeqBatch(
        Tensors.of(b, new int[] {1, 4, 2, 6, 5, 3, 0, 0}, 2, 4), Tensors.of(b, dt, new double[] {1, 1, 1, 1, 1, 1, 0, 0}, Shape.of(2, 4)),
        Tensors.of(b, new int[] {0, 2, 4, 0, 3, 1}, 2, 3), Tensors.of(b, new int[] {2, 4, 1, 3, 1, 5}, 2, 3),
        Tensors.of(b, dt, new double[] {1, 1, 1, 1, 1, 0}, Shape.of(2, 3)));
    return new CrossEntropyLoss(0.1).apply(m.logits(batch), batch.targetOutput(), batch.targetMask()).reshape(1);
  }

  private record Run(double[] output, Map<String, double[]> gradients) {}

  private static Run run(Case c, Backend b, DType dt) {
    Module m = c.build().apply(b, dt);
    Tensor out = c.forward().apply(m, b, dt);
    Tensor w = Tensors.uniform(b, out.dtype(), out.shape(), new Rng(9), 0.5, 1.5);
    Map<String, Parameter> params = m.namedParameters();
    List<Tensor> values = new ArrayList<>();
    params.values().forEach(p -> values.add(p.value()));
    Map<String, double[]> grads = new java.util.LinkedHashMap<>();
    if (!values.isEmpty()) {
      List<Tensor> g = Gradients.of(out.mul(w).sum(), values);
      int i = 0;
      for (String name : params.keySet()) {
        grads.put(name, g.get(i++).toDoubleArray());
      }
    }
    return new Run(out.toDoubleArray(), grads);
  }

  private static Stream<DynamicTest> compare(DType dt, Tolerance tol) {
    return cases().stream().map(c -> DynamicTest.dynamicTest(c.name() + " " + dt.label(), () -> {
      Run ref = run(c, EJML, dt);
      Run cand = run(c, TENSORFLOW, dt);
      String what = c.name() + " " + dt.label() + " tensorflow vs ejml";
      assertClose(cand.output(), ref.output(), tol, what + ": output");
      assertThat(cand.gradients().keySet()).isEqualTo(ref.gradients().keySet());
      for (String name : ref.gradients().keySet()) {
        assertClose(cand.gradients().get(name), ref.gradients().get(name), tol, what + ": d/d " + name);
      }
    }));
  }

  @TestFactory
  Stream<DynamicTest> float32() {
    return compare(DType.FLOAT32, Tolerances.FLOAT32_MATMUL);
  }

  @TestFactory
  Stream<DynamicTest> float64() {
    return compare(DType.FLOAT64, Tolerances.FLOAT64);
  }
}
