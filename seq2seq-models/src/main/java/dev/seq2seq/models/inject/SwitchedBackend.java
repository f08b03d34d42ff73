package dev.seq2seq.models.inject;

import dagger.Module;
import dagger.Provides;
import dev.seq2seq.api.backend.Backend;
import dev.seq2seq.api.backend.Backends;

/**
 * Binds the backend chosen at run time by {@link Backends#get()} (system property, environment
 * variable, provider priority). The alternative is a backend jar's own module, e.g.
 * {@code dev.seq2seq.backend.ejml.EjmlModule}.
 */
@Module
public interface SwitchedBackend {
  /** The selected backend. */
  @Provides
  static Backend backend() {
    return Backends.get();
  }
}
