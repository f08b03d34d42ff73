package dev.seq2seq.api.backend;

/**
 * The service-provider interface through which backend jars announce themselves.
 *
 * <p>Implementations are listed in {@code META-INF/services/dev.seq2seq.api.backend.BackendProvider}
 * and discovered by {@link java.util.ServiceLoader}. Creating the backend may be expensive (native
 * libraries), so {@link Backends} calls {@link #create()} lazily, once per process.
 */
public interface BackendProvider {
  /** The backend's name, the key of the selection switch. */
  String name();

  /**
   * Preference when nothing selects a backend explicitly: the highest wins. The embedded
   * {@code ejml} backend uses 100; native backends use less so they are opt-in.
   */
  int priority();

  /** Creates the backend; called at most once per process by {@link Backends}. */
  Backend create();
}
