package dev.seq2seq.models.attention;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seq2seq.api.conformance.Tolerance;
import dev.seq2seq.api.conformance.Tolerances;
import dev.seq2seq.api.module.Module;
import dev.seq2seq.api.nn.Attention;
import dev.seq2seq.api.nn.AttentionResult;
import dev.seq2seq.api.random.Rng;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Tensor;
import dev.seq2seq.models.testing.GoldenFixture;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import java.util.stream.Stream;

/**
 * Golden references from PyTorch ({@code src/test/python/make_attention_fixtures.py}): weights are
 * loaded by name, and the context and the weights must match the reference in float64 (to
 * {@link Tolerances#FLOAT64}) and in float32 (to {@link Tolerances#FLOAT32}).
 *
 * <p>The multi-head fixtures come from {@code torch.nn.MultiheadAttention} itself; the others are
 * the papers' equations written with torch ops.
 */
class AttentionGoldenReferenceTest extends AttentionTestSupport {
  static Stream<Arguments> fixtures() {
    return Stream.of("multihead_key_padding", "multihead_causal", "scaled_dot_product_padding", "bahdanau_padding",
            "luong_dot_padding", "luong_general_padding", "luong_concat_padding")
        .flatMap(name -> Stream.of(Arguments.of(name, DType.FLOAT64), Arguments.of(name, DType.FLOAT32)));
  }

  @ParameterizedTest(name = "{0} in {1}")
  @MethodSource("fixtures")
  void matchesTheReference(String name, DType dtype) {
    GoldenFixture f = GoldenFixture.load("attention", name);
    Module module = moduleFor(f, dtype);
    Map<String, Tensor> reference = f.parameters(backend(), dtype);
    assertThat(module.namedParameters().keySet()).as("parameter names of %s", name).containsExactlyElementsOf(reference.keySet());
    reference.forEach((n, value) -> module.namedParameters().get(n).set(value));

    AttentionResult r = ((Attention) module).attend(
        f.tensor(backend(), dtype, "query"), f.tensor(backend(), dtype, "key"), f.tensor(backend(), dtype, "value"),
        f.tensor(backend(), dtype, "mask"));

    Tolerance tol = Tolerances.of(dtype);
    assertThat(r.context().shape()).isEqualTo(f.shape("output"));
    assertThat(r.weights().shape()).isEqualTo(f.shape("weights"));
    assertClose(r.context().toDoubleArray(), f.values("output"), tol, name + " " + dtype.label() + " context");
    assertClose(r.weights().toDoubleArray(), f.values("weights"), tol, name + " " + dtype.label() + " weights");
    System.out.printf("attention golden %s %s: max |deviation| context %.3g, weights %.3g%n", name, dtype.label(),
        maxDeviation(r.context().toDoubleArray(), f.values("output")),
        maxDeviation(r.weights().toDoubleArray(), f.values("weights")));
  }

  private Module moduleFor(GoldenFixture f, DType dtype) {
    Rng rng = new Rng(1);
    String name = f.name();
    if (name.startsWith("multihead")) {
      return new MultiHeadAttention(backend(), dtype, f.config("embed_dim"), f.config("num_heads"), rng);
    } else if (name.startsWith("scaled_dot_product")) {
      return new ScaledDotProductAttention();
    } else if (name.startsWith("bahdanau")) {
      return new BahdanauAttention(backend(), dtype, f.config("query_size"), f.config("key_size"), f.config("units"), rng);
    } else if (name.startsWith("luong_dot")) {
      return LuongAttention.dot(f.config("query_size"));
    } else if (name.startsWith("luong_general")) {
      return LuongAttention.general(backend(), dtype, f.config("query_size"), f.config("key_size"), rng);
    } else if (name.startsWith("luong_concat")) {
      return LuongAttention.concat(backend(), dtype, f.config("query_size"), f.config("key_size"), f.config("units"), rng);
    }
    throw new IllegalArgumentException("no module for fixture " + name);
  }
}
