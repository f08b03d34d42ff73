package dev.seq2seq.backend.ejml.floatmath;

import java.util.List;
import java.util.Locale;

/**
 * Chooses the {@link FloatMath}: {@value #VECTOR} when {@code jdk.incubator.vector} is in the boot
 * layer, {@value #SCALAR} otherwise, or the one named by the system property {@value #PROPERTY}.
 */
public final class FloatMaths {
  /** The system property that forces an implementation: {@value #VECTOR} or {@value #SCALAR}. */
  public static final String PROPERTY = "seq2seq.ejml.math";
  /** Name of the Vector API implementation. */
  public static final String VECTOR = "vector";
  /** Name of the {@link Math}-based implementation. */
  public static final String SCALAR = "scalar";

  private static final String MODULE = "jdk.incubator.vector";
  private static final String VECTOR_CLASS = "dev.seq2seq.backend.ejml.floatmath.VectorFloatMath";

  private FloatMaths() {}

  /** The implementation named by {@value #PROPERTY}, or the default: vector when available, else scalar. */
  public static FloatMath select() {
    String forced = System.getProperty(PROPERTY);
    if (forced == null || forced.isBlank()) {
      return Vector.ERROR == null ? Vector.INSTANCE : scalar();
    }
    return named(forced.trim());
  }

  /** The implementation called {@code name}. */
  public static FloatMath named(String name) {
    switch (name.toLowerCase(Locale.ROOT)) {
      case VECTOR:
        return vector();
      case SCALAR:
        return scalar();
      default:
        throw new IllegalArgumentException(
            PROPERTY + "=" + name + ": unknown float32 math (expected " + VECTOR + " or " + SCALAR + ")");
    }
  }

  /** The {@link Math}-based implementation; always available. */
  public static FloatMath scalar() {
    return ScalarFloatMath.INSTANCE;
  }

  /** The Vector API implementation. */
  public static FloatMath vector() {
    if (Vector.ERROR != null) {
      throw new IllegalStateException("float32 math 'vector' is unavailable: " + Vector.ERROR
          + " (start the JVM with --add-modules " + MODULE + ", or use " + PROPERTY + "=" + SCALAR + ")");
    }
    return Vector.INSTANCE;
  }

  /** Every implementation usable in this JVM: scalar, then vector when the module is present. */
  public static List<FloatMath> available() {
    return vectorAvailable() ? List.of(scalar(), vector()) : List.of(scalar());
  }

  /** Whether the Vector API implementation can be used in this JVM. */
  public static boolean vectorAvailable() {
    return Vector.ERROR == null;
  }

  /** Lazily probes and loads the vector implementation once. */
  private static final class Vector {
    static final String ERROR;
    static final FloatMath INSTANCE;

    static {
      String error = null;
      FloatMath math = null;
      if (ModuleLayer.boot().findModule(MODULE).isEmpty()) {
        error = "module " + MODULE + " is not in the boot layer";
      } else {
        try {
          math = (FloatMath) Class.forName(VECTOR_CLASS).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
          error = "loading the Vector API math failed: " + e;
        }
      }
      ERROR = error;
      INSTANCE = math;
    }
  }
}
