package dev.seq2seq.backend.tensorflow;

import dev.seq2seq.api.backend.Backend;
import dev.seq2seq.api.backend.BackendProvider;

/**
 * Announces the {@code tensorflow} backend to {@link dev.seq2seq.api.backend.Backends}.
 *
 * <p>Priority 50: below the embedded {@code ejml} backend, so TensorFlow is used only when selected
 * ({@code -Dseq2seq.backend=tensorflow} or {@code SEQ2SEQ_BACKEND=tensorflow}).
 */
public final class TensorFlowBackendProvider implements BackendProvider {
  @Override
  public String name() {
    return TensorFlowBackend.NAME;
  }

  @Override
  public int priority() {
    return 50;
  }

  /** Loads the natives and opens the device named by {@code seq2seq.tensorflow.device}. */
  @Override
  public Backend create() {
    return new TensorFlowBackend();
  }
}
