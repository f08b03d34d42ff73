package dev.seq2seq.api.backend;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Finds and selects backends at run time.
 *
 * <p>Selection order: an explicit name passed to {@link #get(String)} &gt; the system property
 * {@value #PROPERTY} &gt; the environment variable {@value #ENVIRONMENT} &gt; the provider with
 * the highest {@link BackendProvider#priority()} (the embedded {@code ejml}). An unknown name fails
 * with a message listing the available backends. Each backend is created once per process.
 */
public final class Backends {
  /** System property naming the backend. */
  public static final String PROPERTY = "seq2seq.backend";
  /** Environment variable naming the backend. */
  public static final String ENVIRONMENT = "SEQ2SEQ_BACKEND";

  private static final Map<String, Backend> CREATED = new ConcurrentHashMap<>();

  private Backends() {}

  /** The providers on the class path, highest priority first. */
  public static List<BackendProvider> providers() {
    List<BackendProvider> list = new ArrayList<>();
    ServiceLoader.load(BackendProvider.class).forEach(list::add);
    list.sort(Comparator.comparingInt(BackendProvider::priority).reversed().thenComparing(BackendProvider::name));
    return list;
  }

  /** Names of the available backends, highest priority first. */
  public static List<String> available() {
    return providers().stream().map(BackendProvider::name).collect(Collectors.toList());
  }

  /** The name the switch selects when no explicit name is given (property, environment, priority). */
  public static String defaultName() {
    return resolveName(null, System.getProperty(PROPERTY), System.getenv(ENVIRONMENT));
  }

  /**
   * The selection rule: the first non-blank of {@code explicit}, {@code property},
   * {@code environment}, else the highest-priority provider's name.
   */
  static String resolveName(String explicit, String property, String environment) {
    for (String name : new String[] {explicit, property, environment}) {
      if (name != null && !name.isBlank()) {
        return name.trim().toLowerCase(Locale.ROOT);
      }
    }
    List<BackendProvider> providers = providers();
    if (providers.isEmpty()) {
      throw new IllegalStateException("no seq2seq backend on the class path: add seq2seq-backend-ejml or seq2seq-backend-tensorflow");
    }
    return providers.get(0).name();
  }

  /** The backend selected by property, environment or priority. */
  public static Backend get() {
    return get(null);
  }

  /**
   * The backend of the given name, or the default one when {@code name} is null or blank.
   *
   * @throws IllegalArgumentException if no provider has that name; the message lists the available ones
   */
  public static Backend get(String name) {
    String key = resolveName(name, System.getProperty(PROPERTY), System.getenv(ENVIRONMENT));
    Backend existing = CREATED.get(key);
    if (existing != null) {
      return existing;
    }
    synchronized (CREATED) {
      existing = CREATED.get(key);
      if (existing != null) {
        return existing;
      }
      for (BackendProvider p : providers()) {
        if (p.name().equals(key)) {
          Backend b = p.create();
          CREATED.put(key, b);
          return b;
        }
      }
    }
    throw new IllegalArgumentException(
        String.format("unknown backend '%s': available backends are %s", key, available()));
  }
}
