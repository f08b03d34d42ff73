package dev.seq2seq.backend.ejml;

import dev.seq2seq.api.backend.Backend;
import dev.seq2seq.api.backend.BackendProvider;

/**
 * Announces the {@link EjmlBackend} to {@link dev.seq2seq.api.backend.Backends} through
 * {@link java.util.ServiceLoader}.
 *
 * <p>Its priority of 100 makes the embedded backend the default whenever no other is selected
 * explicitly. Creating it is cheap: no native code is loaded.
 */
public final class EjmlBackendProvider implements BackendProvider {
  /** The default-backend priority. */
  public static final int PRIORITY = 100;

  @Override
  public String name() {
    return EjmlBackend.NAME;
  }

  @Override
  public int priority() {
    return PRIORITY;
  }

  @Override
  public Backend create() {
    return new EjmlBackend();
  }
}
