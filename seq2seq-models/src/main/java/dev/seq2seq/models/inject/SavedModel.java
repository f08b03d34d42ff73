package dev.seq2seq.models.inject;

import com.google.gson.JsonParseException;
import dev.seq2seq.api.module.Module;
import dev.seq2seq.api.nn.Seq2Seq;
import dev.seq2seq.models.checkpoint.Checkpoint;
import dev.seq2seq.models.checkpoint.CheckpointWriter;
import dev.seq2seq.models.checkpoint.CorruptCheckpointException;
import dev.seq2seq.models.data.Vocabulary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * A trained model with everything needed to use it: its {@link ModelSpec} (family, sizes, names,
 * tokenizer) and both vocabularies. Saved as a checkpoint whose {@code config.json} is the spec and
 * whose vocabularies are named {@value #SOURCE} and {@value #TARGET}; loading rebuilds the model
 * through a {@link ModelComponent} (so registered cells resolve by name, on the component's
 * backend) and then sets its weights, checking every name and shape.
 *
 * @param model the model, a {@link Module} implementing {@link Seq2Seq}
 */
public record SavedModel(ModelSpec spec, Vocabulary source, Vocabulary target, Seq2Seq model) {
  /** The source vocabulary's name in a checkpoint. */
  public static final String SOURCE = "source";
  /** The target vocabulary's name in a checkpoint. */
  public static final String TARGET = "target";

  /** Adds this model's spec and vocabularies to a checkpoint (e.g. for {@code BestCheckpoint}). */
  public static UnaryOperator<CheckpointWriter.Builder> contents(ModelSpec spec, Vocabulary source, Vocabulary target) {
    return b -> b.optConfig(spec).optVocabularyJson(SOURCE, source.toJson()).optVocabularyJson(TARGET, target.toJson());
  }

  /** Saves weights, spec and vocabularies (no optimizer state) to {@code directory}, atomically. */
  public void save(Path directory) throws IOException {
    contents(spec, source, target).apply(CheckpointWriter.builder().setModel((Module) model)).build().save(directory);
  }

  /**
   * Loads the model saved in {@code directory}, built by {@code component}.
   *
   * @throws java.nio.file.NoSuchFileException if the directory does not exist (naming it)
   * @throws CorruptCheckpointException if it is not a checkpoint, or lacks the spec or a vocabulary
   * @throws IllegalArgumentException if the stored tensors do not fit the model the spec describes
   *     (missing, unexpected or differently shaped parameters, each named), or for an unknown cell or
   *     attention name
   */
  public static SavedModel load(Path directory, ModelComponent component) throws IOException {
    if (!Files.exists(directory) && !Files.exists(directory.resolveSibling(directory.getFileName() + ".old"))) {
      throw new java.nio.file.NoSuchFileException(directory.toString(), null, "no such checkpoint directory");
    }
    if (Files.isDirectory(directory) && !Files.exists(directory.resolve(Checkpoint.MANIFEST))) {
      throw new CorruptCheckpointException(directory, "not a checkpoint: no " + Checkpoint.MANIFEST
          + " (expected the --out directory of 'seq2seq train')");
    }
    Checkpoint checkpoint = Checkpoint.load(directory);
    if (checkpoint.config().isEmpty()) {
      throw new CorruptCheckpointException(directory, "not a model checkpoint: no " + Checkpoint.CONFIG);
    }
    ModelSpec spec;
    try {
      spec = checkpoint.config(ModelSpec.class).withDefaults();
    } catch (JsonParseException | IllegalArgumentException e) {
      throw new CorruptCheckpointException(directory.resolve(Checkpoint.CONFIG), e.getMessage(), e);
    }
    Vocabulary source = vocabulary(checkpoint, SOURCE);
    Vocabulary target = vocabulary(checkpoint, TARGET);
    Seq2Seq model = spec.build(component, source.size(), target.size());
    checkpoint.loadInto((Module) model);
    ((Module) model).setTraining(false);
    return new SavedModel(spec, source, target, model);
  }

  private static Vocabulary vocabulary(Checkpoint checkpoint, String name) throws IOException {
    if (!checkpoint.vocabularies().containsKey(name)) {
      throw new CorruptCheckpointException(checkpoint.directory(), "not a model checkpoint: no vocabulary '" + name
          + "'; saved: " + checkpoint.vocabularies().keySet());
    }
    return Vocabulary.fromJson(checkpoint.vocabulary(name).toString(), checkpoint.directory() + "/vocab." + name + ".json");
  }
}
