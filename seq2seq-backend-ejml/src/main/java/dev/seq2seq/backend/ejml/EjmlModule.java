package dev.seq2seq.backend.ejml;

import dagger.Module;
import dagger.Provides;
import dev.seq2seq.api.backend.Backend;
import dev.seq2seq.api.backend.Backends;

/** Dagger module binding {@link Backend} to the EJML backend, for components that fix their backend. */
@Module
public interface EjmlModule {
  /** The process's EJML backend. */
  @Provides
  static Backend backend() {
    return Backends.get("ejml");
  }
}
