package dev.seq2seq.models.attention;

import dev.seq2seq.api.module.Module;
import dev.seq2seq.api.module.Parameter;
import dev.seq2seq.api.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parameter values by dotted name: the attentions compute from such a map so that the same code
 * runs with a module's own parameters and, in gradient checks, with arbitrary tensors.
 */
final class ParameterValues {
  private ParameterValues() {}

  /** The current values of every parameter of {@code module}. */
  static Map<String, Tensor> of(Module module) {
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (Map.Entry<String, Parameter> e : module.namedParameters().entrySet()) {
      out.put(e.getKey(), e.getValue().value());
    }
    return out;
  }

  /** The value named {@code name}. */
  static Tensor get(Map<String, Tensor> values, String name) {
    Tensor t = values.get(name);
    if (t == null) {
      throw new IllegalArgumentException("attention: no value for parameter '" + name + "' among " + values.keySet());
    }
    return t;
  }
}
