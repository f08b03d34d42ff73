package dev.seq2seq.backend.ejml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seq2seq.api.backend.Backends;
import dev.seq2seq.api.backend.RawTensor;
import dev.seq2seq.api.tensor.Shape;
import dev.seq2seq.backend.ejml.gemm.FloatGemm;
import dev.seq2seq.backend.ejml.gemm.FloatGemms;
import org.junit.jupiter.api.Test;

/**
 * Run-time choice of the float32 GEMM. Surefire runs this class twice: with
 * {@code --add-modules jdk.incubator.vector} (vector is the default) and without it (EJML is the
 * default, the vector classes are never loaded, forcing vector fails clearly).
 */
class FloatGemmSelectionTest {
  private static final boolean MODULE_PRESENT = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

  @Test
  void defaultIsVectorExactlyWhenTheModuleIsPresent() {
    // the surefire execution without the module marks itself, so a flag that leaks in is caught
    assertThat(MODULE_PRESENT).isEqualTo(System.getProperty("seq2seq.test.withoutVectorModule") == null);
    assertThat(FloatGemms.vectorAvailable()).isEqualTo(MODULE_PRESENT);
    String expected = MODULE_PRESENT ? FloatGemms.VECTOR : FloatGemms.EJML;
    if (System.getProperty(FloatGemms.PROPERTY) == null) {
      assertThat(FloatGemms.select().name()).isEqualTo(expected);
      assertThat(Backends.get("ejml").description())
          .startsWith("ejml: EJML 0.44.0")
          .contains(MODULE_PRESENT ? "float32 GEMM: jdk.incubator.vector" : "float32 GEMM: EJML");
    }
  }

  @Test
  void vectorClassesAreNotLoadedWithoutTheModule() {
    if (!MODULE_PRESENT) {
      assertThatThrownBy(FloatGemms::vector)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("jdk.incubator.vector")
          .hasMessageContaining("--add-modules");
      assertThatThrownBy(() -> FloatGemms.named("vector")).isInstanceOf(IllegalStateException.class);
      // the vector kernel's classes were never loaded (they would fail to link)
      assertThat(ModuleLayer.boot().findModule("jdk.incubator.vector")).isEmpty();
    } else {
      assertThat(FloatGemms.vector().description()).contains("-bit");
    }
  }

  @Test
  void thePropertyForcesAChoice() {
    String before = System.getProperty(FloatGemms.PROPERTY);
    try {
      System.setProperty(FloatGemms.PROPERTY, "EJML");
      assertThat(new EjmlBackend().floatGemm().name()).isEqualTo(FloatGemms.EJML);
      System.setProperty(FloatGemms.PROPERTY, "vector");
      if (MODULE_PRESENT) {
        assertThat(new EjmlBackend().floatGemm().name()).isEqualTo(FloatGemms.VECTOR);
      } else {
        assertThatThrownBy(EjmlBackend::new).isInstanceOf(IllegalStateException.class).hasMessageContaining("unavailable");
      }
      System.setProperty(FloatGemms.PROPERTY, "blas");
      assertThatThrownBy(EjmlBackend::new).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(FloatGemms.PROPERTY).hasMessageContaining("blas");
    } finally {
      if (before == null) {
        System.clearProperty(FloatGemms.PROPERTY);
      } else {
        System.setProperty(FloatGemms.PROPERTY, before);
      }
    }
  }

  @Test
  void anExplicitChoiceIsKeptByTheBackend() {
    FloatGemm ejml = FloatGemms.ejml();
    EjmlBackend backend = new EjmlBackend(ejml);
    assertThat(backend.floatGemm()).isSameAs(ejml);
    assertThat(backend.description()).contains("float32 GEMM: EJML CommonOps_FDRM;");
    RawTensor out = backend.matmul(
        backend.fromFloats(new float[] {1, 2, 3, 4}, Shape.of(2, 2)), backend.fromFloats(new float[] {5, 6, 7, 8}, Shape.of(2, 2)),
        false, false);
    assertThat(out.toFloatArray()).containsExactly(19, 22, 43, 50);
  }
}
