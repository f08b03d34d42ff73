package dev.seq2seq.api.compile;

import dev.seq2seq.api.backend.Backend;
import dev.seq2seq.api.module.Parameter;
import dev.seq2seq.api.tensor.Tensor;
import java.util.List;

/**
 * Entry point for compiled steps: {@link #compile} uses the backend's {@link Compiler} when it has
 * one and compilation is not switched off (system property {@value #PROPERTY}{@code =false}),
 * and otherwise runs the function eagerly — so model code is the same on every backend.
 */
public final class Steps {
  /** System property that switches compilation off ({@code false}) for debugging. */
  public static final String PROPERTY = "seq2seq.compile";

  private Steps() {}

  /** A compiled step on {@code backend}, or an eager one if it cannot compile. */
  public static CompiledStep compile(Backend backend, String name, List<Parameter> state, StepFunction function) {
    if (compiles(backend)) {
      return ((Compiler) backend).compile(name, state, function);
    }
    return eager(function);
  }

  /**
   * Whether {@link #compile} would really compile on {@code backend}: it implements {@link Compiler}
   * and compilation is not switched off. Callers use it to choose between a compiled algorithm and
   * an eager one that can exploit value-dependent control flow.
   */
  public static boolean compiles(Backend backend) {
    return backend instanceof Compiler && !"false".equalsIgnoreCase(System.getProperty(PROPERTY));
  }

  /** A step that simply calls {@code function} (results detached from its graph). */
  public static CompiledStep eager(StepFunction function) {
    return new CompiledStep() {
      @Override
      public List<Tensor> run(List<Tensor> inputs) {
        return function.apply(inputs).stream().map(Tensor::detach).toList();
      }

      @Override
      public void close() {}
    };
  }
}
