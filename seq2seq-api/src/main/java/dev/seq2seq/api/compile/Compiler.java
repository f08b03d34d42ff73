package dev.seq2seq.api.compile;

import dev.seq2seq.api.module.Parameter;
import java.util.List;

/**
 * The optional backend capability of compiling a {@link StepFunction}: a backend that implements
 * this interface next to {@link dev.seq2seq.api.backend.Backend} runs whole steps as one execution
 * (e.g. TensorFlow traces them into a graph once per input signature and keeps the state on its
 * device). Model code does not call it directly but through {@link Steps#compile}, which falls back
 * to eager execution on backends without it.
 */
public interface Compiler {
  /**
   * Prepares {@code function}, whose state is {@code state}.
   *
   * @param name a label for logs and errors, e.g. {@code train_step}
   */
  CompiledStep compile(String name, List<Parameter> state, StepFunction function);
}
