package dev.seq2seq.models.attention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seq2seq.api.tensor.Gradients;
import dev.seq2seq.api.conformance.Tolerance;
import dev.seq2seq.api.conformance.Tolerances;
import dev.seq2seq.api.module.Module;
import dev.seq2seq.api.nn.Attention;
import dev.seq2seq.api.nn.AttentionResult;
import dev.seq2seq.api.nn.PreparedKeys;
import dev.seq2seq.api.random.Rng;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Shape;
import dev.seq2seq.api.tensor.Tensor;
import dev.seq2seq.api.tensor.Tensors;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * The {@link Attention#prepareKeys} contract for the attentions that override it: attending with
 * prepared keys gives the numbers and gradients of attending with the raw keys.
 */
class PreparedKeysTest extends AttentionTestSupport {
  private static final int QUERY = 3;
  private static final int KEY = 4;
  private static final int UNITS = 5;

  private record Case(String name, BiFunction<DType, Rng, Module> build) {
    Attention attention(DType dtype) {
      return (Attention) build.apply(dtype, new Rng(11));
    }
  }

  private List<Case> cases() {
    return List.of(
        new Case("bahdanau", (dt, rng) -> new BahdanauAttention(backend(), dt, QUERY, KEY, UNITS, rng)),
        new Case("luong general", (dt, rng) -> LuongAttention.general(backend(), dt, QUERY, KEY, rng)),
        new Case("luong concat", (dt, rng) -> LuongAttention.concat(backend(), dt, QUERY, KEY, UNITS, rng)),
        new Case("luong dot", (dt, rng) -> LuongAttention.dot(KEY)));
  }

  /**
   * The float32 tolerance for matrix products: Luong general multiplies {@code q^T (W k)} when
   * prepared and {@code (q^T W) k} when not, the same sums in another order.
   */
  private static Tolerance tolerance(DType dtype) {
    return dtype == DType.FLOAT32 ? Tolerances.FLOAT32_MATMUL : Tolerances.of(dtype);
  }

  private static int queryWidth(Case c) {
    return c.name().equals("luong dot") ? KEY : QUERY;
  }

  /** Context, weights and every gradient (query, keys, values, then each parameter) of one attend. */
  private List<double[]> outputsAndGradients(Attention a, Tensor query, Tensor keys, Tensor values, Tensor mask,
      boolean prepared) {
    Tensor q = query.requiringGrad();
    Tensor k = keys.requiringGrad();
    Tensor v = values.requiringGrad();
    AttentionResult r = prepared ? a.attendPrepared(q, a.prepareKeys(k), v, mask) : a.attend(q, k, v, mask);
    Tensor wc = Tensors.uniform(backend(), r.context().dtype(), r.context().shape(), new Rng(7), 0.5, 1.5);
    Tensor ww = Tensors.uniform(backend(), r.weights().dtype(), r.weights().shape(), new Rng(8), 0.5, 1.5);
    Tensor loss = r.context().mul(wc).sum().add(r.weights().mul(ww).sum());
    List<Tensor> wrt = new ArrayList<>(List.of(q, k, v));
    ((Module) a).namedParameters().values().forEach(p -> wrt.add(p.value()));
    List<double[]> out = new ArrayList<>();
    out.add(r.context().toDoubleArray());
    out.add(r.weights().toDoubleArray());
    Gradients.of(loss, wrt).forEach(g -> out.add(g.toDoubleArray()));
    return out;
  }

  private List<String> labels(Attention a) {
    List<String> names = new ArrayList<>(List.of("context", "weights", "d/d query", "d/d keys", "d/d values"));
    ((Module) a).namedParameters().keySet().forEach(n -> names.add("d/d " + n));
    return names;
  }

  @Test
  void attendingWithPreparedKeysGivesTheOutputsAndGradientsOfRawKeys() {
    for (Case c : cases()) {
      for (DType dtype : FLOATS) {
        for (int queries : new int[] {1, 2}) {
          Attention a = c.attention(dtype);
          Tensor query = t(dtype, random(1, -2, 2, 2, queries, queryWidth(c)), 2, queries, queryWidth(c));
          Tensor keys = t(dtype, random(2, -2, 2, 2, 6, KEY), 2, 6, KEY);
          Tensor values = t(dtype, random(3, -1, 1, 2, 6, 3), 2, 6, 3);
          Tensor mask = Masks.padding(backend(), dtype, new int[] {6, 4}, 6);
          List<double[]> raw = outputsAndGradients(a, query, keys, values, mask, false);
          List<double[]> prepared = outputsAndGradients(a, query, keys, values, mask, true);
          List<String> names = labels(a);
          assertThat(prepared).hasSameSizeAs(raw);
          for (int i = 0; i < raw.size(); i++) {
            assertClose(prepared.get(i), raw.get(i), tolerance(dtype),
                String.format("%s %s, %d queries: %s with prepared keys vs raw keys", c.name(), dtype.label(), queries, names.get(i)));
          }
        }
      }
    }
  }

  @Test
  void preparedKeysCarryTheKeySideGradientsToTheParametersAndKeys() {
    // float64 central differences through prepareKeys + attendPrepared: the key side is part of the graph
    Tensor mask = Masks.padding(backend(), DType.FLOAT64, new int[] {4, 2}, 4);
    for (Case c : cases()) {
      Attention a = c.attention(DType.FLOAT64);
      Tensor query = input(1, 2, 1, queryWidth(c));
      Tensor keys = input(2, 2, 4, KEY);
      Tensor values = input(3, 2, 4, 2);
      checkGradients(c.name() + " prepared (inputs: query, keys, values)",
          in -> flatten(a.attendPrepared(in.get(0), a.prepareKeys(in.get(1)), in.get(2), mask)), query, keys, values);
      if (!((Module) a).namedParameters().isEmpty()) {
        checkParameterGradients(c.name() + " prepared (parameters)", (Module) a,
            () -> flatten(a.attendPrepared(query, a.prepareKeys(keys), values, mask)));
      }
    }
  }

  @Test
  void keysPreparedByAnotherAttentionAreUsedRaw() {
    Tensor mask = Masks.padding(backend(), DType.FLOAT64, new int[] {5, 3}, 5);
    for (Case c : cases()) {
      Attention a = c.attention(DType.FLOAT64);
      Attention other = c.attention(DType.FLOAT64);
      Tensor query = input(1, 2, 1, queryWidth(c));
      Tensor keys = input(2, 2, 5, KEY);
      Tensor values = input(3, 2, 5, 2);
      AttentionResult expected = a.attend(query, keys, values, mask);
      for (PreparedKeys foreign : List.of(other.prepareKeys(keys), PreparedKeys.unchanged(other, keys))) {
        AttentionResult actual = a.attendPrepared(query, foreign, values, mask);
        assertClose(actual.context().toDoubleArray(), expected.context().toDoubleArray(), Tolerances.FLOAT64,
            c.name() + ": context with keys prepared by another attention");
        assertClose(actual.weights().toDoubleArray(), expected.weights().toDoubleArray(), Tolerances.FLOAT64,
            c.name() + ": weights with keys prepared by another attention");
      }
    }
  }

  @Test
  void selectedPreparedKeysMatchPreparingTheSelectedKeys() {
    Tensor rows = ints(new int[] {1, 0, 1}, 3);
    for (Case c : cases()) {
      Attention a = c.attention(DType.FLOAT64);
      Tensor keys = input(2, 2, 5, KEY);
      PreparedKeys selected = a.prepareKeys(keys).select(rows);
      PreparedKeys direct = a.prepareKeys(keys.gather(rows, 0));
      assertThat(selected.batchSize()).isEqualTo(3);
      assertThat(selected.arePreparedBy(a)).isTrue();
      assertThat(selected.isUnchanged()).as("%s: unchanged keys stay one tensor after select", c.name())
          .isEqualTo(direct.isUnchanged());
      assertClose(selected.raw().toDoubleArray(), direct.raw().toDoubleArray(), Tolerances.FLOAT64, c.name() + ": selected raw keys");
      assertClose(selected.keySide().toDoubleArray(), direct.keySide().toDoubleArray(), Tolerances.FLOAT64,
          c.name() + ": selected key side");
    }
  }

  @Test
  void theKeySideIsComputedOnceByPrepareKeys() {
    BahdanauAttention bahdanau = new BahdanauAttention(backend(), DType.FLOAT64, QUERY, KEY, UNITS, new Rng(1));
    Tensor keys = input(2, 2, 5, KEY);
    PreparedKeys prepared = bahdanau.prepareKeys(keys);
    assertThat(prepared.raw()).isSameAs(keys);
    assertThat(prepared.keySide().shape()).as("U k + b").isEqualTo(Shape.of(2, 5, UNITS));
    assertThat(LuongAttention.general(backend(), DType.FLOAT64, QUERY, KEY, new Rng(1)).prepareKeys(keys).keySide().shape())
        .as("W k").isEqualTo(Shape.of(2, 5, QUERY));
    assertThat(LuongAttention.dot(KEY).prepareKeys(keys).isUnchanged()).as("dot precomputes nothing").isTrue();
  }

  @Test
  void badPreparedKeysAreNamed() {
    BahdanauAttention a = new BahdanauAttention(backend(), DType.FLOAT64, QUERY, KEY, UNITS, new Rng(1));
    Tensor query = input(1, 2, 1, QUERY);
    Tensor keys = input(2, 2, 5, KEY);
    Tensor values = input(3, 2, 5, 2);
    assertThatThrownBy(() -> a.prepareKeys(input(2, 2, 5, KEY + 1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("BahdanauAttention: keys must be [batch, keys, 4], got [2, 5, 5]");
    assertThatThrownBy(() -> a.attendPrepared(query, null, values, null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("prepared keys must not be null");
    assertThatThrownBy(() -> a.attendPrepared(query, new PreparedKeys(a, keys, keys), values, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("the key side of prepared keys [2, 5, 4] must be [2, 5, 5], got [2, 5, 4]");
    assertThatThrownBy(() -> new PreparedKeys(a, keys, input(4, 3, 5, UNITS)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("the key side [3, 5, 5] must have the batch size of the keys [2, 5, 4]");
    assertThatThrownBy(() -> LuongAttention.general(backend(), DType.FLOAT64, QUERY, KEY, new Rng(1))
        .attendPrepared(query, LuongAttention.general(backend(), DType.FLOAT64, QUERY, KEY, new Rng(1)).prepareKeys(keys),
            input(3, 2, 4, 2), null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("values must be [2, 5, size]");
  }

  private static Tensor flatten(AttentionResult r) {
    return Tensor.concat(List.of(r.context().reshape(-1), r.weights().reshape(-1)), 0);
  }
}
