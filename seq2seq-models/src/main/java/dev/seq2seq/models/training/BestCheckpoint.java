package dev.seq2seq.models.training;

import dev.seq2seq.api.module.Module;
import dev.seq2seq.models.checkpoint.Checkpoint;
import dev.seq2seq.models.checkpoint.CheckpointWriter;
import dev.seq2seq.models.checkpoint.TrainingState;
import dev.seq2seq.models.optim.Optimizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A {@link TrainingListener} that saves a checkpoint (atomically, see
 * {@link dev.seq2seq.models.checkpoint.CheckpointWriter}) whenever a validation is the best so far:
 * weights, optimizer state and the training state (step, the model's random streams), plus whatever
 * {@code extra} adds (config, vocabularies, other random streams).
 */
public final class BestCheckpoint implements TrainingListener {
  private final Path target;
  private final Module model;
  private final Optimizer optimizer;
  private final UnaryOperator<CheckpointWriter.Builder> extra;
  private long savedStep;

  /**
   * @param extra adds config, vocabularies or more training state to each checkpoint (identity for nothing)
   */
  public BestCheckpoint(Path target, Module model, Optimizer optimizer, UnaryOperator<CheckpointWriter.Builder> extra) {
    this.target = target;
    this.model = model;
    this.optimizer = optimizer;
    this.extra = extra;
  }

  @Override
  public void onValidation(long step, Map<String, Double> metrics, boolean best) {
    if (!best) {
      return;
    }
    CheckpointWriter.Builder b = CheckpointWriter.builder().setModel(model).optOptimizerState(optimizer.stateValues())
        .optTrainingState(TrainingState.of(step, 0).withModuleRandoms(model));
    try {
      extra.apply(b).build().save(target);
      savedStep = step;
    } catch (IOException e) {
      throw new UncheckedIOException("could not save the best checkpoint to " + target + ": " + e.getMessage(), e);
    }
  }

  /** The step of the last saved checkpoint (0 if none). */
  public long savedStep() {
    return savedStep;
  }

  /**
   * Loads the weights of the last saved checkpoint back into the model (e.g. after training, so that
   * what is scored is what was saved).
   *
   * @return the step of those weights, or 0 when nothing was saved (the model is then left as is)
   * @throws UncheckedIOException naming the directory if the checkpoint cannot be read back
   */
  public long restore() {
    if (savedStep == 0) {
      return 0;
    }
    try {
      Checkpoint.load(target).loadInto(model);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read back the best checkpoint " + target + ": " + e.getMessage(), e);
    }
    return savedStep;
  }
}
