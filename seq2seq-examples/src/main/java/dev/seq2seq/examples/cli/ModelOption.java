package dev.seq2seq.examples.cli;

import dev.seq2seq.api.backend.Backend;
import dev.seq2seq.models.inject.BackendBoundComponent;
import dev.seq2seq.models.inject.SavedModel;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --model DIR} option of the commands that use a trained model. */
final class ModelOption {
  @Option(names = "--model", required = true, paramLabel = "DIR", description = "a model directory written by 'seq2seq train --out'")
  Path directory;

  /** The saved model, rebuilt on {@code backend} with the built-in cells and attentions. */
  SavedModel load(Backend backend) throws IOException {
    try {
      return SavedModel.load(directory, BackendBoundComponent.on(backend));
    } catch (NoSuchFileException e) {
      throw new UsageException("--model %s: no such directory (expected the --out directory of 'seq2seq train')", directory);
    }
  }
}
