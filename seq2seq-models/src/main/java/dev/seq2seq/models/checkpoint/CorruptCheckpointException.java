package dev.seq2seq.models.checkpoint;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A checkpoint or safetensors file that cannot be read as written: truncated, corrupted, hostile
 * or not in the documented format. The message names the file, what is wrong, where (which tensor
 * or file), and the expected versus the found value.
 */
public final class CorruptCheckpointException extends IOException {
  private static final long serialVersionUID = 1L;

  /** A problem in {@code file}, described by {@code message}. */
  public CorruptCheckpointException(Path file, String message) {
    super(file + ": " + message);
  }

  /** A problem in {@code file}, described by {@code message}, caused by {@code cause}. */
  public CorruptCheckpointException(Path file, String message, Throwable cause) {
    super(file + ": " + message, cause);
  }
}
