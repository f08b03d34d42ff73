package dev.seq2seq.backend.tensorflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seq2seq.api.compile.CompiledStep;
import dev.seq2seq.api.compile.StepFunction;
import dev.seq2seq.api.compile.Steps;
import dev.seq2seq.api.conformance.Tolerance;
import dev.seq2seq.api.conformance.Tolerances;
import dev.seq2seq.api.module.Parameter;
import dev.seq2seq.api.tensor.GradMode;
import dev.seq2seq.api.tensor.Gradients;
import dev.seq2seq.api.tensor.Tensor;
import dev.seq2seq.api.tensor.TensorScope;
import dev.seq2seq.api.tensor.Tensors;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Compiled steps on TensorFlow compute what the same step computes eagerly: a small training step
 * (embedding gather, tanh layer, log-softmax cross-entropy, {@code Gradients.of}, SGD through
 * {@code Parameter.set}) run compiled and eagerly from the same weights.
 */
class CompiledStepTest {
  static final int VOCAB = 7;
  static final int EMBED = 5;
  static final int HIDDEN = 6;
  static final int CLASSES = 3;

  /** The model's parameters, initialised from a seed. */
  static final class Model {
    final Parameter embedding;
    final Parameter w1;
    final Parameter b1;
    final Parameter w2;
    final Parameter b2;

    Model(TensorFlowBackend backend, long seed, int vocab, int embed, int hidden, int classes) {
      Random r = new Random(seed);
      embedding = new Parameter(Tensors.of(backend, uniform(r, vocab * embed, 1.0), vocab, embed));
      w1 = new Parameter(Tensors.of(backend, uniform(r, embed * hidden, 0.5), embed, hidden));
      b1 = new Parameter(Tensors.of(backend, uniform(r, hidden, 0.1), hidden));
      w2 = new Parameter(Tensors.of(backend, uniform(r, hidden * classes, 0.5), hidden, classes));
      b2 = new Parameter(Tensors.of(backend, uniform(r, classes, 0.1), classes));
    }

    List<Parameter> parameters() {
      return List.of(embedding, w1, b1, w2, b2);
    }

    /** Inputs: int32 ids [B], float32 one-hot targets [B, C]; outputs: the loss (before the update). */
    StepFunction trainStep(double learningRate) {
      return inputs -> {
        Tensor ids = inputs.get(0);
        Tensor targets = inputs.get(1);
        Tensor h = embedding.value().gather(ids, 0).matmul(w1.value()).add(b1.value()).tanh();
        Tensor logits = h.matmul(w2.value()).add(b2.value());
        Tensor loss = targets.mul(logits.logSoftmax(1)).sum(new int[] {1}, false).mean().neg();
        List<Parameter> params = parameters();
        List<Tensor> values = new ArrayList<>();
        params.forEach(p -> values.add(p.value()));
        List<Tensor> grads = Gradients.of(loss, values);
        try (GradMode.Scope ignored = GradMode.disabled()) {
          for (int i = 0; i < params.size(); i++) {
            params.get(i).set(params.get(i).value().sub(grads.get(i).mul(learningRate)));
          }
        }
        return List.of(loss);
      };
    }
  }

  static float[] uniform(Random r, int n, double scale) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) ((r.nextDouble() * 2 - 1) * scale);
    }
    return v;
  }

  /** A batch: ids and one-hot targets. */
  static List<Tensor> batch(TensorFlowBackend backend, Random r, int size, int vocab, int classes) {
    int[] ids = new int[size];
    float[] onehot = new float[size * classes];
    for (int i = 0; i < size; i++) {
      ids[i] = r.nextInt(vocab);
      onehot[i * classes + r.nextInt(classes)] = 1;
    }
    return List.of(Tensors.of(backend, ids, size), Tensors.of(backend, onehot, size, classes));
  }

  static void assertClose(String what, double[] actual, double[] expected, Tolerance tol) {
    assertThat(actual).as(what).hasSameSizeAs(expected);
    for (int i = 0; i < expected.length; i++) {
      if (!tol.accepts(actual[i], expected[i])) {
        throw new AssertionError(String.format("%s element %d: compiled %s vs eager %s (tolerance %s)", what, i,
            actual[i], expected[i], tol));
      }
    }
  }

  static void assertSameParameters(Model compiled, Model eager, Tolerance tol) {
    List<Parameter> a = compiled.parameters();
    List<Parameter> b = eager.parameters();
    for (int i = 0; i < a.size(); i++) {
      assertClose("parameter " + i, a.get(i).value().toDoubleArray(), b.get(i).value().toDoubleArray(), tol);
    }
  }

  @Test
  void compiledTrainingMatchesEagerTraining() {
    TensorFlowBackend backend = TfTestSupport.backend();
    Model compiledModel = new Model(backend, 42, VOCAB, EMBED, HIDDEN, CLASSES);
    Model eagerModel = new Model(backend, 42, VOCAB, EMBED, HIDDEN, CLASSES);
    Random data = new Random(7);
    try (CompiledStep compiled = Steps.compile(backend, "train_step", compiledModel.parameters(),
        compiledModel.trainStep(0.5))) {
      assertThat(compiled).isInstanceOf(TensorFlowCompiledStep.class);
      CompiledStep eager = Steps.eager(eagerModel.trainStep(0.5));
      double first = 0;
      double last = 0;
      for (int step = 0; step < 20; step++) {
        try (TensorScope scope = TensorScope.open()) {
          List<Tensor> inputs = batch(backend, data, 4, VOCAB, CLASSES);
          double c = compiled.run(inputs).get(0).item();
          double e = eager.run(inputs).get(0).item();
          assertClose("loss at step " + step, new double[] {c}, new double[] {e}, Tolerances.FLOAT32);
          first = step == 0 ? c : first;
          last = c;
        }
      }
      assertThat(last).as("training lowers the loss").isLessThan(first);
      assertSameParameters(compiledModel, eagerModel, Tolerances.FLOAT32);
      assertThat(((TensorFlowCompiledStep) compiled).traceCount()).isEqualTo(1);
    }
  }

  @Test
  void newBatchSizeRetracesOnceAndSwitchingSignaturesKeepsTheState() {
    TensorFlowBackend backend = TfTestSupport.backend();
    Model compiledModel = new Model(backend, 3, VOCAB, EMBED, HIDDEN, CLASSES);
    Model eagerModel = new Model(backend, 3, VOCAB, EMBED, HIDDEN, CLASSES);
    Random data = new Random(11);
    int[] sizes = {4, 4, 6, 6, 4, 2, 6, 4, 2};
    try (TensorFlowCompiledStep compiled = (TensorFlowCompiledStep) backend.compile("train_step",
        compiledModel.parameters(), compiledModel.trainStep(0.3))) {
      CompiledStep eager = Steps.eager(eagerModel.trainStep(0.3));
      for (int size : sizes) {
        try (TensorScope scope = TensorScope.open()) {
          List<Tensor> inputs = batch(backend, data, size, VOCAB, CLASSES);
          double c = compiled.run(inputs).get(0).item();
          double e = eager.run(inputs).get(0).item();
          assertClose("loss at batch size " + size, new double[] {c}, new double[] {e}, Tolerances.FLOAT32);
        }
      }
      assertThat(compiled.traceCount()).as("one trace per signature").isEqualTo(3);
      assertThat(compiled.programCount()).isEqualTo(3);
      assertSameParameters(compiledModel, eagerModel, Tolerances.FLOAT32);
    }
  }

  @Test
  void parameterSetOutsideTheStepIsPickedUp() {
    TensorFlowBackend backend = TfTestSupport.backend();
    Model compiledModel = new Model(backend, 5, VOCAB, EMBED, HIDDEN, CLASSES);
    Model eagerModel = new Model(backend, 5, VOCAB, EMBED, HIDDEN, CLASSES);
    Random data = new Random(13);
    try (CompiledStep compiled = backend.compile("train_step", compiledModel.parameters(), compiledModel.trainStep(0.3))) {
      CompiledStep eager = Steps.eager(eagerModel.trainStep(0.3));
      for (int step = 0; step < 4; step++) {
        List<Tensor> inputs = batch(backend, data, 3, VOCAB, CLASSES);
        compiled.run(inputs);
        eager.run(inputs);
        if (step == 1) { // e.g. a checkpoint load: both models get the same new weights for w1
          float[] w = uniform(new Random(99), EMBED * HIDDEN, 0.5);
          compiledModel.w1.set(Tensors.of(backend, w, EMBED, HIDDEN));
          eagerModel.w1.set(Tensors.of(backend, w, EMBED, HIDDEN));
        }
      }
      assertSameParameters(compiledModel, eagerModel, Tolerances.FLOAT32);
    }
  }

  @Test
  void outputsAreConstantsAndOldParameterValuesStayValid() {
    TensorFlowBackend backend = TfTestSupport.backend();
    Model model = new Model(backend, 9, VOCAB, EMBED, HIDDEN, CLASSES);
    Random data = new Random(17);
    try (CompiledStep compiled = backend.compile("train_step", model.parameters(), model.trainStep(0.3))) {
      Tensor before = model.w2.value();
      double[] beforeValues = before.toDoubleArray();
      List<Tensor> out = compiled.run(batch(backend, data, 4, VOCAB, CLASSES));
      assertThat(out.get(0).requiresGrad()).isFalse();
      assertThat(out.get(0).shape().rank()).isZero();
      // the value the parameter held before the run is a snapshot, not a view of the variable
      assertThat(before.toDoubleArray()).containsExactly(beforeValues);
      assertThat(model.w2.value().toDoubleArray()).isNotEqualTo(beforeValues);
      assertThat(model.w2.value().requiresGrad()).isTrue();
      // one-off eager ops between compiled runs, on the compiled parameters too
      Tensor x = Tensors.of(backend, new float[] {1, 2, 3}, 3);
      assertThat(x.mul(x).sum().item()).isEqualTo(14.0);
      assertThat(model.w2.value().mul(2.0).sum().item()).isCloseTo(2 * sum(model.w2.value().toDoubleArray()),
          org.assertj.core.data.Offset.offset(1e-5));
      compiled.run(batch(backend, data, 4, VOCAB, CLASSES));
    }
  }

  /**
   * The step function of {@link #aBatchTimesOneMatrixTrainsCompiledAsOnTheReference}: Bahdanau-style
   * scores {@code tanh(x) @ w^T} of a rank-4 batch {@code x [B, 1, S, A]} with {@code w [1, A]}, a
   * cross-entropy over {@code S}, and an SGD update of {@code w}. Inputs: {@code x}, one-hot targets
   * {@code [B, 1, S]}; output: the loss.
   */
  static StepFunction scoresStep(Parameter w, double learningRate) {
    return inputs -> {
      Tensor scores = inputs.get(0).tanh().matmul(w.value(), false, true).squeeze(-1); // [B, 1, S]
      Tensor loss = inputs.get(1).mul(scores.logSoftmax(2)).sum(new int[] {1, 2}, false).mean().neg();
      Tensor grad = Gradients.of(loss, List.of(w.value())).get(0);
      try (GradMode.Scope ignored = GradMode.disabled()) {
        w.set(w.value().sub(grad.mul(learningRate)));
      }
      return List.of(loss);
    };
  }

  @Test
  void aBatchTimesOneMatrixTrainsCompiledAsOnTheReference() {
    // TensorFlow 2.18's oneDNN BatchMatMulV2 broadcast [8, 1, 5, 16] x [1, 16]^T wrongly and corrupted the heap
    int batch = 8;
    int keys = 5;
    int units = 16;
    TensorFlowBackend backend = TfTestSupport.backend();
    dev.seq2seq.api.backend.Backend reference = dev.seq2seq.api.backend.Backends.get("ejml");
    float[] w0 = uniform(new Random(21), units, 0.5);
    Parameter compiledW = new Parameter(Tensors.of(backend, w0, 1, units));
    Parameter referenceW = new Parameter(Tensors.of(reference, w0, 1, units));
    Random data = new Random(23);
    try (CompiledStep compiled = backend.compile("scores", List.of(compiledW), scoresStep(compiledW, 0.5))) {
      CompiledStep eager = Steps.eager(scoresStep(referenceW, 0.5));
      for (int step = 0; step < 5; step++) {
        float[] x = uniform(data, batch * keys * units, 2.0);
        float[] targets = new float[batch * keys];
        for (int b = 0; b < batch; b++) {
          targets[b * keys + data.nextInt(keys)] = 1;
        }
        try (TensorScope scope = TensorScope.open()) {
          double c = compiled.run(List.of(Tensors.of(backend, x, batch, 1, keys, units),
              Tensors.of(backend, targets, batch, 1, keys))).get(0).item();
          double e = eager.run(List.of(Tensors.of(reference, x, batch, 1, keys, units),
              Tensors.of(reference, targets, batch, 1, keys))).get(0).item();
          assertClose("loss at step " + step, new double[] {c}, new double[] {e}, Tolerances.FLOAT32_MATMUL);
        }
      }
      assertClose("w after 5 steps", compiledW.value().toDoubleArray(), referenceW.value().toDoubleArray(),
          Tolerances.FLOAT32_MATMUL);
      assertThat(compiledW.value().toDoubleArray()).as("the steps changed w").isNotEqualTo(toDoubles(w0));
    }
  }

  static double[] toDoubles(float[] v) {
    double[] d = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      d[i] = v[i];
    }
    return d;
  }

  static double sum(double[] v) {
    double s = 0;
    for (double d : v) {
      s += d;
    }
    return s;
  }

  @Test
  void readingATensorInsideTheStepThrowsAndRestoresTheParameters() {
    TensorFlowBackend backend = TfTestSupport.backend();
    Model model = new Model(backend, 1, VOCAB, EMBED, HIDDEN, CLASSES);
    double[] w1 = model.w1.value().toDoubleArray();
    StepFunction reading = inputs -> {
      Tensor loss = model.w1.value().sum();
      System.out.println("loss " + loss.item());
      return List.of(loss);
    };
    try (CompiledStep step = backend.compile("reader", model.parameters(), reading)) {
      assertThatThrownBy(() -> step.run(List.of()))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("cannot read tensor values while tracing compiled step 'reader'");
    }
    // the parameters hold their real values again, and eager ops work
    assertThat(model.w1.value().toDoubleArray()).containsExactly(w1);
    assertThat(model.w1.value().sum().item()).isCloseTo(sum(w1), org.assertj.core.data.Offset.offset(1e-5));
  }

  @Test
  void symbolicTensorsThatEscapeTheTraceAndClosedStepsFailLoudly() {
    TensorFlowBackend backend = TfTestSupport.backend();
    Model model = new Model(backend, 2, VOCAB, EMBED, HIDDEN, CLASSES);
    List<Tensor> leaked = new ArrayList<>();
    StepFunction leaking = inputs -> {
      Tensor y = inputs.get(0).mul(model.b1.value()).sum();
      leaked.add(y);
      return List.of(y);
    };
    CompiledStep step = backend.compile("leaky", model.parameters(), leaking);
    Tensor x = Tensors.of(backend, new float[HIDDEN], HIDDEN);
    assertThat(step.run(List.of(x)).get(0).item()).isEqualTo(0.0);
    assertThatThrownBy(() -> leaked.get(0).item()).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("used outside its trace");
    assertThatThrownBy(() -> leaked.get(0).add(1.0)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("used outside its trace");
    step.close();
    assertThatThrownBy(() -> step.run(List.of(x))).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("after close()");
    // parameters survive the step's close
    assertThat(model.b1.value().toDoubleArray()).hasSize(HIDDEN);
  }

  @Test
  void capturedEagerTensorsAreFrozenConstants() {
    TensorFlowBackend backend = TfTestSupport.backend();
    Tensor scale = Tensors.of(backend, new float[] {2, 3}, 2);
    StepFunction fn = inputs -> List.of(inputs.get(0).mul(scale), Tensors.of(backend, new float[] {5}, 1), scale);
    try (CompiledStep step = backend.compile("scale", List.of(), fn)) {
      List<Tensor> out = step.run(List.of(Tensors.of(backend, new float[] {1, 1}, 2)));
      assertThat(out.get(0).toFloatArray()).containsExactly(2, 3);
      assertThat(out.get(1).toFloatArray()).containsExactly(5);
      assertThat(out.get(2).toFloatArray()).containsExactly(2, 3);
      assertThat(step.run(List.of(Tensors.of(backend, new float[] {2, -1}, 2))).get(0).toFloatArray())
          .containsExactly(4, -3);
    }
  }

  @Test
  void badIndexFailsTheRunWithAnIllegalArgumentAndTheStepRecovers() {
    TensorFlowBackend backend = TfTestSupport.backend();
    Model compiledModel = new Model(backend, 8, VOCAB, EMBED, HIDDEN, CLASSES);
    Model eagerModel = new Model(backend, 8, VOCAB, EMBED, HIDDEN, CLASSES);
    Random data = new Random(23);
    try (CompiledStep compiled = backend.compile("train_step", compiledModel.parameters(), compiledModel.trainStep(0.3))) {
      CompiledStep eager = Steps.eager(eagerModel.trainStep(0.3));
      List<Tensor> good = batch(backend, data, 3, VOCAB, CLASSES);
      compiled.run(good);
      eager.run(good);
      List<Tensor> bad = List.of(Tensors.of(backend, new int[] {0, VOCAB + 3, 1}, 3), good.get(1));
      assertThatThrownBy(() -> compiled.run(bad)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("train_step");
      List<Tensor> next = batch(backend, data, 3, VOCAB, CLASSES);
      compiled.run(next);
      eager.run(next);
      assertSameParameters(compiledModel, eagerModel, Tolerances.FLOAT32);
    }
  }
}
