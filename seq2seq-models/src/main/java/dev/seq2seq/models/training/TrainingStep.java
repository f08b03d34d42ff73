package dev.seq2seq.models.training;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;

import dev.seq2seq.api.compile.CompiledStep;
import dev.seq2seq.api.compile.Steps;
import dev.seq2seq.api.module.Module;
import dev.seq2seq.api.module.Parameter;
import dev.seq2seq.api.nn.DecoderState;
import dev.seq2seq.api.nn.DecoderStep;
import dev.seq2seq.api.nn.Seq2Seq;
import dev.seq2seq.api.nn.Seq2SeqBatch;
import dev.seq2seq.api.random.Rng;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.GradMode;
import dev.seq2seq.api.tensor.Gradients;
import dev.seq2seq.api.tensor.Shape;
import dev.seq2seq.api.tensor.Tensor;
import dev.seq2seq.api.tensor.Tensors;
import dev.seq2seq.models.loss.CrossEntropyLoss;
import dev.seq2seq.models.optim.GradientClipping;
import dev.seq2seq.models.optim.LearningRateSchedule;
import dev.seq2seq.models.optim.Optimizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One optimisation step of a {@link Seq2Seq} on a batch: loss under teacher forcing, gradients,
 * a finiteness check, global-norm clipping, and the optimizer update.
 *
 * <p>Teacher forcing with ratio {@code r} (scheduled sampling, Bengio et al. 2015): with {@code r = 1}
 * the decoder reads the gold previous token everywhere ({@link Seq2Seq#logits}); with {@code r < 1}
 * it decodes step by step and, per token, reads the gold token with probability {@code r} and its own
 * previous argmax prediction otherwise (coins from the step's explicit {@link Rng}).
 *
 * <p>A NaN or infinite loss or gradient raises {@link NonFiniteException} naming the step and the
 * parameter, and the weights keep their values. The caller owns memory: run each step inside a
 * {@link dev.seq2seq.api.tensor.TensorScope}.
 *
 * <p>{@link #compile()} runs the whole step — forward, loss, backward, clipping, the optimizer
 * update — as one compiled execution on backends that can ({@link Steps#compile}; eager elsewhere).
 * There the update is guarded inside the step ({@code p = finite ? p_new : p_old} for every
 * parameter and optimizer slot), so a non-finite step leaves the weights unchanged as well. A
 * compiled step follows the {@link dev.seq2seq.api.compile.StepFunction} contract: teacher forcing
 * only ({@code r = 1}), no dropout (its masks would be frozen when the step is traced), and a
 * model that reads no tensor values while computing its logits (both built-in model families qualify).
 */
public final class TrainingStep {
  private final Seq2Seq model;
  private final Optimizer optimizer;
  private final CrossEntropyLoss loss;
  private final LearningRateSchedule schedule;
  private final double clipNorm;
  private final double teacherForcing;
  private final Rng rng;
  private CompiledStep compiled;

  /**
   * @param model the model (a {@link Module} implementing {@link Seq2Seq}); its parameters must be the optimizer's
   * @param clipNorm maximum global gradient norm, or {@code Double.POSITIVE_INFINITY} for none
   * @param teacherForcing the ratio {@code r} in {@code [0, 1]}
   * @param rng the stream of scheduled-sampling coins (unused when {@code r = 1})
   */
  public TrainingStep(Seq2Seq model, Optimizer optimizer, CrossEntropyLoss loss, LearningRateSchedule schedule,
      double clipNorm, double teacherForcing, Rng rng) {
    checkArgument(model instanceof Module, "training: the model must be a Module, got %s", model.getClass().getName());
    checkArgument(clipNorm > 0, "training: clip norm %s must be positive (infinity for none)", clipNorm);
    checkArgument(teacherForcing >= 0 && teacherForcing <= 1, "training: teacher forcing ratio %s outside [0, 1]", teacherForcing);
    this.model = model;
    this.optimizer = optimizer;
    this.loss = loss;
    this.schedule = schedule;
    this.clipNorm = clipNorm;
    this.teacherForcing = teacherForcing;
    this.rng = rng;
  }

  /**
   * Switches this step to compiled execution (see the class comment).
   *
   * @throws IllegalStateException if the teacher forcing ratio is below 1
   */
  public TrainingStep compile() {
    checkState(teacherForcing >= 1, "training: a compiled step needs teacher forcing ratio 1 (scheduled sampling draws random coins), got %s", teacherForcing);
    List<Parameter> state = new ArrayList<>(optimizer.parameters().values());
    state.addAll(optimizer.state().values());
    Tensor any = state.get(0).value();
    compiled = Steps.compile(any.backend(), "train_step", state, this::guardedStep);
    return this;
  }

  /** Inputs: the five batch tensors and the learning rate; outputs: loss and gradient norm. */
  private List<Tensor> guardedStep(List<Tensor> in) {
    Seq2SeqBatch batch = new Seq2SeqBatch(in.get(0), in.get(1), in.get(2), in.get(3), in.get(4));
    Tensor value = loss.apply(model.logits(batch), batch.targetOutput(), batch.targetMask());
    List<Tensor> grads = Gradients.of(value, optimizer.values());
    GradientClipping.Clipped clipped = GradientClipping.byGlobalNorm(grads, clipNorm);
    try (GradMode.Scope ignored = GradMode.disabled()) {
      Tensor finite = finite(value).mul(finite(clipped.norm()));
      List<Parameter> state = new ArrayList<>(optimizer.parameters().values());
      state.addAll(optimizer.state().values());
      List<Tensor> before = new ArrayList<>(state.size());
      state.forEach(p -> before.add(p.value()));
      optimizer.step(clipped.gradients(), in.get(5));
      for (int i = 0; i < state.size(); i++) {
        state.get(i).set(Tensor.where(finite, state.get(i).value(), before.get(i)));
      }
    }
    return List.of(value, clipped.norm());
  }

  /** 1 where {@code x} is finite, else 0 ({@code x - x} is 0 for finite x, NaN otherwise). */
  private static Tensor finite(Tensor x) {
    return x.sub(x).eq(0.0);
  }

  /** The optimizer this step updates with. */
  public Optimizer optimizer() {
    return optimizer;
  }

  /** Runs step number {@code step} (1-based) on {@code batch}. */
  public StepResult run(Seq2SeqBatch batch, long step) {
    ((Module) model).setTraining(true);
    if (compiled != null) {
      return runCompiled(batch, step);
    }
    List<Tensor> values = optimizer.values();
    Tensor logits = teacherForcing >= 1 ? model.logits(batch) : scheduledSamplingLogits(batch);
    Tensor value = loss.apply(logits, batch.targetOutput(), batch.targetMask());
    List<Tensor> grads = Gradients.of(value, values);
    GradientClipping.Clipped clipped = GradientClipping.byGlobalNorm(grads, clipNorm);
    double lossValue = value.item();
    double norm = clipped.norm().item();
    if (!Double.isFinite(lossValue)) {
      throw new NonFiniteException(step, "loss", lossValue);
    }
    if (!Double.isFinite(norm)) {
      throw firstNonFinite(step, optimizer.parameters(), grads);
    }
    double lr = schedule.rate(step);
    optimizer.step(clipped.gradients(), lr);
    long tokens = Math.round(batch.targetMask().cast(DType.FLOAT32).sum().item());
    return new StepResult(step, lossValue, norm, tokens, lr);
  }

  private StepResult runCompiled(Seq2SeqBatch batch, long step) {
    double lr = schedule.rate(step);
    Tensor any = batch.targetMask();
    List<Tensor> out = compiled.run(List.of(batch.source(), batch.sourceMask(), batch.targetInput(), batch.targetOutput(),
        batch.targetMask(), Tensors.scalar(any.backend(), optimizer.values().get(0).dtype(), lr)));
    double lossValue = out.get(0).item();
    double norm = out.get(1).item();
    if (!Double.isFinite(lossValue)) {
      throw new NonFiniteException(step, "loss", lossValue);
    }
    if (!Double.isFinite(norm)) {
      // the compiled step kept the weights; find the parameter eagerly (rare, so the cost is fine)
      Tensor value = loss.apply(model.logits(batch), batch.targetOutput(), batch.targetMask());
      throw firstNonFinite(step, optimizer.parameters(), Gradients.of(value, optimizer.values()));
    }
    long tokens = Math.round(batch.targetMask().cast(DType.FLOAT32).sum().item());
    return new StepResult(step, lossValue, norm, tokens, lr);
  }

  /** The first parameter (in order) whose gradient is not finite; reads one scalar per parameter. */
  static NonFiniteException firstNonFinite(long step, Map<String, ?> parameters, List<Tensor> grads) {
    int i = 0;
    for (Map.Entry<String, ?> e : parameters.entrySet()) {
      double s = grads.get(i++).square().sum().item();
      if (!Double.isFinite(s)) {
        return new NonFiniteException(step, e.getKey(), s);
      }
    }
    return new NonFiniteException(step, "the global gradient norm", Double.NaN);
  }

  private Tensor scheduledSamplingLogits(Seq2SeqBatch batch) {
    DecoderState state = model.encode(batch.source(), batch.sourceMask());
    int steps = batch.targetInput().dim(1);
    int size = batch.size();
    List<Tensor> perStep = new ArrayList<>(steps);
    Tensor previousPrediction = null;
    for (int t = 0; t < steps; t++) {
      Tensor gold = batch.targetInput().sliceAxis(1, t, 1).reshape(size);
      Tensor input = gold;
      if (previousPrediction != null) {
        Tensor coin = Tensors.bernoulli(gold.backend(), DType.FLOAT32, Shape.of(size), rng, teacherForcing);
        input = Tensor.where(coin, gold, previousPrediction);
      }
      DecoderStep out = model.step(input, state);
      perStep.add(out.logits().unsqueeze(1));
      try (GradMode.Scope ignored = GradMode.disabled()) {
        previousPrediction = out.logits().argmax(-1);
      }
      state = out.state();
    }
    return Tensor.concat(perStep, 1);
  }
}
