package dev.seq2seq.api.tensor;

import static com.google.common.base.Preconditions.checkState;

import dev.seq2seq.api.backend.RawTensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Deterministic release of tensor memory: every tensor created on this thread while a scope is
 * open — by an operation or a {@link Tensors} factory — is owned by the innermost scope and
 * released (its {@link RawTensor#close()}) when the scope closes.
 *
 * <pre>{@code
 * for (Batch batch : batches) {
 *   try (TensorScope scope = TensorScope.open()) {
 *     Tensor loss = model.loss(batch);            // intermediates, gradients ... all owned
 *     optimizer.step(Gradients.of(loss, params)); // Parameter.set() takes its new value out of every scope
 *     lossValue = scope.keep(loss).item();        // keep() hands loss to the enclosing scope (or to the GC)
 *   }                                             // everything else is freed here, natively too
 * }
 * }</pre>
 *
 * <p>A tensor released with its scope must not be used afterwards: backends refuse to read it.
 * {@link dev.seq2seq.api.module.Parameter} values never belong to a scope; the value a parameter
 * replaces is handed to the current scope, so an update loop inside scopes keeps memory flat.
 * Without any open scope nothing is tracked and memory is left to the garbage collector (and the
 * backend's own safety net). Scopes are per thread and must be closed in reverse order of opening.
 */
public final class TensorScope implements AutoCloseable {
  private static final ThreadLocal<TensorScope> CURRENT = new ThreadLocal<>();

  private final TensorScope parent;
  private final Set<RawTensor> owned = Collections.newSetFromMap(new IdentityHashMap<>());
  private boolean closed;

  private TensorScope(TensorScope parent) {
    this.parent = parent;
  }

  /** Opens a scope nested in the current one (if any) and makes it current. */
  public static TensorScope open() {
    TensorScope scope = new TensorScope(CURRENT.get());
    CURRENT.set(scope);
    return scope;
  }

  /** Takes ownership of a newly created raw tensor if a scope is open. */
  static void track(RawTensor raw) {
    TensorScope scope = CURRENT.get();
    if (scope != null) {
      scope.owned.add(raw);
    }
  }

  /** Removes {@code raw} from every open scope of this thread: it will be released by no scope. */
  public static void untrack(RawTensor raw) {
    for (TensorScope s = CURRENT.get(); s != null; s = s.parent) {
      s.owned.remove(raw);
    }
  }

  /** Hands {@code raw} to the current scope (if any), to be released when it closes. */
  public static void release(RawTensor raw) {
    TensorScope scope = CURRENT.get();
    if (scope != null) {
      scope.owned.add(raw);
    }
  }

  /**
   * Lets {@code tensor} outlive this scope: it moves to the enclosing scope, or to no scope at
   * all when this is the outermost. Returns {@code tensor}.
   */
  public Tensor keep(Tensor tensor) {
    checkState(!closed, "tensor scope: keep() after close()");
    if (owned.remove(tensor.raw()) && parent != null) {
      parent.owned.add(tensor.raw());
    }
    return tensor;
  }

  /** {@link #keep(Tensor)} for each tensor of a list. */
  public List<Tensor> keepAll(List<Tensor> tensors) {
    List<Tensor> out = new ArrayList<>(tensors.size());
    tensors.forEach(t -> out.add(keep(t)));
    return out;
  }

  /** Number of tensors this scope would release now. */
  public int ownedCount() {
    return owned.size();
  }

  /**
   * Releases every tensor this scope owns and makes the enclosing scope current again.
   *
   * @throws IllegalStateException if a scope opened later on this thread is still open
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    checkState(CURRENT.get() == this, "tensor scope: closed out of order (an inner scope is still open)");
    closed = true;
    CURRENT.set(parent);
    RuntimeException failure = null;
    for (RawTensor raw : owned) {
      try {
        raw.close();
      } catch (RuntimeException e) {
        failure = failure == null ? e : failure;
      }
    }
    owned.clear();
    if (failure != null) {
      throw failure;
    }
  }
}
