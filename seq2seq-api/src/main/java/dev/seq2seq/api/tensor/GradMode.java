package dev.seq2seq.api.tensor;

/**
 * Switches gradient recording off for the current thread, e.g. for inference and optimizer updates.
 *
 * <pre>{@code
 * try (GradMode.Scope ignored = GradMode.disabled()) {
 *   Tensor logits = model.forward(x);   // records nothing, keeps no graph alive
 * }
 * }</pre>
 *
 * Scopes nest; closing one restores the state it found.
 */
public final class GradMode {
  private static final ThreadLocal<boolean[]> ENABLED = ThreadLocal.withInitial(() -> new boolean[] {true});

  private GradMode() {}

  /** Whether operations on this thread currently record gradients. */
  public static boolean isEnabled() {
    return ENABLED.get()[0];
  }

  /** Disables recording until the returned scope is closed. */
  public static Scope disabled() {
    return set(false);
  }

  /** Enables recording until the returned scope is closed (e.g. inside a disabled region). */
  public static Scope enabled() {
    return set(true);
  }

  private static Scope set(boolean value) {
    boolean[] state = ENABLED.get();
    boolean previous = state[0];
    state[0] = value;
    return () -> state[0] = previous;
  }

  /** Restores the previous recording state on close. */
  @FunctionalInterface
  public interface Scope extends AutoCloseable {
    @Override
    void close();
  }
}
