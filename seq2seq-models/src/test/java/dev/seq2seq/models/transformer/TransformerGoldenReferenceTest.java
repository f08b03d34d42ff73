package dev.seq2seq.models.transformer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seq2seq.api.conformance.Tolerance;
import dev.seq2seq.api.conformance.Tolerances;
import dev.seq2seq.api.module.Module;
import dev.seq2seq.api.nn.Seq2SeqBatch;
import dev.seq2seq.api.random.Rng;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Tensor;
import dev.seq2seq.models.testing.GoldenFixture;
import dev.seq2seq.models.attention.Masks;
import dev.seq2seq.models.layers.ModelTestSupport;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden references from PyTorch 1.13 ({@code src/test/python/make_transformer_fixtures.py}):
 * {@code nn.TransformerEncoderLayer}, {@code nn.TransformerDecoderLayer} and {@code nn.Transformer}
 * (with embeddings, sinusoidal positions and a generator composed around it), post-LN and pre-LN,
 * with key padding masks and the causal mask. Weights are loaded by name; outputs must match in
 * float64 to {@link Tolerances#FLOAT64} and in float32 to {@link Tolerances#FLOAT32}.
 */
class TransformerGoldenReferenceTest extends ModelTestSupport {
  static Stream<Arguments> fixtures() {
    return Stream.of("encoder_layer_post_ln", "encoder_layer_pre_ln", "decoder_layer_post_ln", "decoder_layer_pre_ln",
            "seq2seq_post_ln", "seq2seq_pre_ln")
        .flatMap(name -> Stream.of(Arguments.of(name, DType.FLOAT64), Arguments.of(name, DType.FLOAT32)));
  }

  @ParameterizedTest(name = "{0} in {1}")
  @MethodSource("fixtures")
  void matchesPyTorch(String name, DType dtype) {
    GoldenFixture f = GoldenFixture.load("transformer", name);
    int d = f.config("d_model");
    int heads = f.config("nhead");
    int ff = f.config("dim_feedforward");
    boolean normFirst = f.flag("norm_first");
    Rng rng = new Rng(5);
    Module module;
    if (name.startsWith("encoder")) {
      module = new TransformerEncoderLayer(backend(), dtype, d, heads, ff, 0.0, normFirst, rng);
    } else if (name.startsWith("decoder")) {
      module = new TransformerDecoderLayer(backend(), dtype, d, heads, ff, 0.0, normFirst, rng);
    } else {
      module = TransformerSeq2Seq.builder().setBackend(backend()).optDType(dtype)
          .setVocabularies(f.config("src_vocab"), f.config("tgt_vocab")).setModelSize(d).setHeads(heads)
          .optNumLayers(f.config("num_encoder_layers"), f.config("num_decoder_layers")).optFeedForwardSize(ff)
          .optDropout(0).optNormFirst(normFirst).setRng(rng).build();
    }
    Map<String, Tensor> reference = f.parameters(backend(), dtype);
    assertThat(module.namedParameters().keySet()).as("parameter names of %s", name).containsExactlyElementsOf(reference.keySet());
    reference.forEach((n, value) -> module.namedParameters().get(n).set(value));

    Tensor out;
    if (module instanceof TransformerEncoderLayer enc) {
      Tensor src = f.tensor(backend(), dtype, "src");
      Tensor mask = f.tensor(backend(), dtype, "src_mask").reshape(src.dim(0), 1, src.dim(1));
      out = enc.forward(src, mask);
    } else if (module instanceof TransformerDecoderLayer dec) {
      Tensor tgt = f.tensor(backend(), dtype, "tgt");
      Tensor memory = f.tensor(backend(), dtype, "memory");
      Tensor tgtMask = f.tensor(backend(), dtype, "tgt_mask").reshape(tgt.dim(0), 1, tgt.dim(1))
          .mul(Masks.causal(backend(), dtype, tgt.dim(1)));
      Tensor memoryMask = f.tensor(backend(), dtype, "memory_mask").reshape(memory.dim(0), 1, memory.dim(1));
      out = dec.forward(tgt, memory, tgtMask, memoryMask);
    } else {
      Tensor source = f.tensor(backend(), DType.INT32, "source");
      Tensor target = f.tensor(backend(), DType.INT32, "target");
      Seq2SeqBatch batch = new Seq2SeqBatch(source, f.tensor(backend(), dtype, "src_mask"), target, target,
          f.tensor(backend(), dtype, "tgt_mask"));
      out = ((TransformerSeq2Seq) module).logits(batch);
    }

    Tolerance tol = Tolerances.of(dtype);
    assertThat(out.shape()).isEqualTo(f.shape("output"));
    assertClose(out.toDoubleArray(), f.values("output"), tol, name + " " + dtype.label());
    System.out.printf("transformer golden %s %s: max |deviation| %.3g%n", name, dtype.label(),
        maxDeviation(out.toDoubleArray(), f.values("output")));
  }

  private static double maxDeviation(double[] a, double[] b) {
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs(a[i] - b[i]));
    }
    return m;
  }
}
