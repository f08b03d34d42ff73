package dev.seq2seq.api.module;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seq2seq.api.backend.RawTensor;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Shape;
import dev.seq2seq.api.tensor.Tensor;
import org.junit.jupiter.api.Test;

class ModuleTest {
  /** A shape-only raw tensor: module bookkeeping never reads values. */
  private static Tensor shaped(int... dims) {
    RawTensor raw = new RawTensor() {
      public Shape shape() {
        return Shape.of(dims);
      }

      public DType dtype() {
        return DType.FLOAT32;
      }

      public float[] toFloatArray() {
        throw new UnsupportedOperationException();
      }

      public double[] toDoubleArray() {
        throw new UnsupportedOperationException();
      }

      public int[] toIntArray() {
        throw new UnsupportedOperationException();
      }
    };
    return Tensor.wrap(null, raw);
  }

  static final class Layer extends Module {
    Layer(int in, int out) {
      registerParameter("weight_ih", new Parameter(shaped(out, in)));
      registerParameter("bias_ih", new Parameter(shaped(out)));
    }
  }

  static final class Encoder extends Module {
    Encoder() {
      registerModule("layers.0", new Layer(3, 4));
      registerModule("layers.1", new Layer(4, 4));
    }
  }

  static final class Model extends Module {
    Model() {
      registerParameter("scale", new Parameter(shaped(1)));
      registerModule("encoder", new Encoder());
    }
  }

  @Test
  void namesAreDottedPathsInRegistrationOrder() {
    Model m = new Model();
    assertThat(m.namedParameters().keySet()).containsExactly(
        "scale", "encoder.layers.0.weight_ih", "encoder.layers.0.bias_ih", "encoder.layers.1.weight_ih", "encoder.layers.1.bias_ih");
    assertThat(m.parameterCount()).isEqualTo(1 + 12 + 4 + 16 + 4);
    assertThat(m.namedParameters().get("encoder.layers.1.weight_ih").value().requiresGrad()).isTrue();
  }

  @Test
  void randomStreamsAreNamedLikeParametersAndRestorable() {
    dev.seq2seq.api.random.Rng rng = new dev.seq2seq.api.random.Rng(5);
    Module child = new Module() {
      {
        registerRandom("rng", rng);
      }
    };
    Module parent = new Module() {
      {
        registerModule("dropout", child);
      }
    };
    assertThat(parent.namedRandoms()).containsOnlyKeys("dropout.rng");
    long saved = parent.namedRandoms().get("dropout.rng").state();
    long first = rng.nextLong();
    rng.setState(saved);
    assertThat(rng.nextLong()).isEqualTo(first);
  }

  @Test
  void trainingModePropagatesToChildren() {
    Model m = new Model();
    m.setTraining(false);
    assertThat(m.isTraining()).isFalse();
  }

  @Test
  void badOrDuplicateNamesAreRejected() {
    assertThatThrownBy(() -> new Module() {
      {
        registerParameter("w", new Parameter(shaped(1)));
        registerParameter("w", new Parameter(shaped(1)));
      }
    }).hasMessageContaining("'w' is already registered");
    assertThatThrownBy(() -> new Module() {
      {
        registerParameter("a.b", new Parameter(shaped(1)));
      }
    }).hasMessageContaining("must not contain dots");
    assertThatThrownBy(() -> new Module() {
      {
        registerModule("bad name", new Layer(1, 1));
      }
    }).hasMessageContaining("invalid name 'bad name'");
  }

  @Test
  void setKeepsShapeFixed() {
    Parameter p = new Parameter(shaped(2, 3));
    assertThatThrownBy(() -> p.set(shaped(3, 2))).hasMessageContaining("cannot set float32 [2, 3] to a float32 [3, 2]");
  }
}
