package dev.seq2seq.backend.tensorflow;

import dagger.Module;
import dagger.Provides;
import dev.seq2seq.api.backend.Backend;
import dev.seq2seq.api.backend.Backends;

/** Dagger module binding {@link Backend} to the TensorFlow backend, for components that fix their backend. */
@Module
public interface TensorFlowModule {
  /** The process's TensorFlow backend. */
  @Provides
  static Backend backend() {
    return Backends.get("tensorflow");
  }
}
