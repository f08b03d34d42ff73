package dev.seq2seq.models.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.seq2seq.api.backend.Backend;
import dev.seq2seq.api.backend.Backends;
import dev.seq2seq.api.conformance.ConformanceSupport;
import dev.seq2seq.api.conformance.Tolerances;
import dev.seq2seq.api.module.Parameter;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Tensor;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Optimizer trajectories against PyTorch 1.13 (fixture made by src/test/python/make_optimizer_fixtures.py). */
class OptimizerTest extends ConformanceSupport {
  private static final JsonObject FIXTURE = load();

  @Override
  protected Backend backend() {
    return Backends.get("ejml");
  }

  private static JsonObject load() {
    try (var in = OptimizerTest.class.getResourceAsStream("/fixtures/optim/optimizers.json")) {
      return JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonObject();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static double[] doubles(JsonElement e) {
    JsonArray a = e.getAsJsonArray();
    double[] d = new double[a.size()];
    for (int i = 0; i < d.length; i++) {
      d[i] = a.get(i).getAsDouble();
    }
    return d;
  }

  private void followsPyTorch(String name, Function<Map<String, Parameter>, Optimizer> make) {
    JsonObject settings = FIXTURE.getAsJsonObject("optimizers").getAsJsonObject(name).getAsJsonObject("settings");
    double lr = settings.get("lr").getAsDouble();
    Map<String, Parameter> params = new LinkedHashMap<>();
    params.put("p", new Parameter(t(DType.FLOAT64, doubles(FIXTURE.get("p0")), 2, 3)));
    params.put("q", new Parameter(t(DType.FLOAT64, doubles(FIXTURE.get("q0")), 4)));
    Optimizer opt = make.apply(params);
    JsonArray grads = FIXTURE.getAsJsonArray("grads");
    JsonArray expected = FIXTURE.getAsJsonObject("optimizers").getAsJsonObject(name).getAsJsonArray("steps");
    for (int s = 0; s < grads.size(); s++) {
      JsonObject g = grads.get(s).getAsJsonObject();
      opt.step(List.of(t(DType.FLOAT64, doubles(g.get("p")), 2, 3), t(DType.FLOAT64, doubles(g.get("q")), 4)), lr);
      JsonObject e = expected.get(s).getAsJsonObject();
      assertClose(params.get("p").value().toDoubleArray(), doubles(e.get("p")), Tolerances.FLOAT64, name + " step " + (s + 1) + " p vs PyTorch");
      assertClose(params.get("q").value().toDoubleArray(), doubles(e.get("q")), Tolerances.FLOAT64, name + " step " + (s + 1) + " q vs PyTorch");
    }
  }

  @Test
  void sgdMatchesPyTorch() {
    followsPyTorch("sgd", Sgd::new);
    followsPyTorch("sgd_momentum", p -> new Sgd(p, 0.9, 0, false));
    followsPyTorch("sgd_momentum_wd", p -> new Sgd(p, 0.9, 0.01, false));
  }

  @Test
  void adamAndAdamWMatchPyTorch() {
    followsPyTorch("adam", Adam::adam);
    followsPyTorch("adam_wd", p -> Adam.adam(p, 0.8, 0.99, 1e-6, 0.1));
    followsPyTorch("adamw", p -> Adam.adamW(p, 0.9, 0.999, 1e-8, 0.01));
  }

  @Test
  void adamStateIsNamedSlots() {
    Map<String, Parameter> params = Map.of("w", new Parameter(t(DType.FLOAT32, new double[] {1, 2}, 2)));
    Adam adam = Adam.adam(params);
    assertThat(adam.state().keySet()).containsExactly("step", "exp_avg.w", "exp_avg_sq.w");
    adam.step(List.of(t(DType.FLOAT32, new double[] {1, -1}, 2)), 0.1);
    assertThat(adam.state().get("step").value().item()).isEqualTo(1.0);
  }

  @Test
  void clipByGlobalNormMatchesPyTorch() {
    JsonObject g = FIXTURE.getAsJsonArray("grads").get(0).getAsJsonObject();
    for (String maxNorm : new String[] {"0.5", "100.0"}) {
      JsonObject e = FIXTURE.getAsJsonObject("clip_grad_norm").getAsJsonObject(maxNorm);
      GradientClipping.Clipped c = GradientClipping.byGlobalNorm(
          List.of(t(DType.FLOAT64, doubles(g.get("p")), 2, 3), t(DType.FLOAT64, doubles(g.get("q")), 4)), Double.parseDouble(maxNorm));
      assertThat(c.norm().item()).isCloseTo(e.get("norm").getAsDouble(), org.assertj.core.data.Offset.offset(1e-12));
      assertClose(c.gradients().get(0).toDoubleArray(), doubles(e.get("p")), Tolerances.FLOAT64, "clipped p at " + maxNorm);
      assertClose(c.gradients().get(1).toDoubleArray(), doubles(e.get("q")), Tolerances.FLOAT64, "clipped q at " + maxNorm);
    }
  }

  @Test
  void withoutALimitClippingOnlyMeasuresTheNorm() {
    JsonObject g = FIXTURE.getAsJsonArray("grads").get(0).getAsJsonObject();
    List<Tensor> grads = List.of(t(DType.FLOAT64, doubles(g.get("p")), 2, 3), t(DType.FLOAT64, doubles(g.get("q")), 4));
    GradientClipping.Clipped c = GradientClipping.byGlobalNorm(grads, Double.POSITIVE_INFINITY);
    double expected = FIXTURE.getAsJsonObject("clip_grad_norm").getAsJsonObject("100.0").get("norm").getAsDouble();
    assertThat(c.norm().item()).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(c.gradients()).hasSize(2);
    assertThat(c.gradients().get(0)).as("the gradients themselves, unscaled").isSameAs(grads.get(0));
    assertThat(c.gradients().get(1)).isSameAs(grads.get(1));
    assertThatThrownBy(() -> GradientClipping.byGlobalNorm(grads, 0)).hasMessageContaining("max norm 0.0 must be positive");
  }

  @Test
  void schedulesByHand() {
    assertThat(LearningRateSchedule.constant(0.1).rate(1000)).isEqualTo(0.1);
    LearningRateSchedule decay = LearningRateSchedule.stepDecay(1.0, 0.5, 10);
    assertThat(new double[] {decay.rate(1), decay.rate(10), decay.rate(11), decay.rate(25)}).containsExactly(1, 1, 0.5, 0.25);
    LearningRateSchedule noam = LearningRateSchedule.warmupInverseSqrt(1e-3, 100);
    assertThat(noam.rate(1)).isEqualTo(1e-5);
    assertThat(noam.rate(50)).isEqualTo(5e-4);
    assertThat(noam.rate(100)).isEqualTo(1e-3);
    assertThat(noam.rate(400)).isEqualTo(5e-4);
    assertThatThrownBy(() -> LearningRateSchedule.warmupInverseSqrt(1e-3, 0)).hasMessageContaining("warmup > 0");
  }

  @Test
  void badArgumentsAreNamed() {
    Map<String, Parameter> params = Map.of("w", new Parameter(t(DType.FLOAT32, new double[] {1}, 1)));
    assertThatThrownBy(() -> new Sgd(params, 1.0, 0, false)).hasMessageContaining("momentum 1.0 outside [0, 1)");
    assertThatThrownBy(() -> Adam.adam(params, 0.9, 1.0, 1e-8, 0)).hasMessageContaining("betas (0.9, 1.0)");
    assertThatThrownBy(() -> new Sgd(params).step(List.<Tensor>of(), 0.1)).hasMessageContaining("0 gradients for 1 parameters");
    assertThatThrownBy(() -> new Sgd(Map.of())).hasMessageContaining("no parameters");
  }
}
