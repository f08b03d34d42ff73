package dev.seq2seq.backend.ejml.gemm;

import java.util.Locale;

/**
 * Chooses the float32 GEMM at run time: the Vector API kernel ({@code vector}) when the
 * {@code jdk.incubator.vector} module is in the running JVM's boot layer (started with
 * {@code --add-modules jdk.incubator.vector}) and its classes load, EJML's ({@code ejml}) otherwise.
 * The system property {@value #PROPERTY} ({@code vector} or {@code ejml}) forces one; forcing
 * {@code vector} where it is unavailable fails with an {@link IllegalStateException} that says why.
 *
 * <p>Class isolation: nothing here names a class that references {@code jdk.incubator.vector};
 * the vector implementation is loaded reflectively, only after the module was found, so this
 * class and the EJML path work on a JVM without the module.
 */
public final class FloatGemms {
  /** The system property that forces a GEMM: {@value #VECTOR} or {@value #EJML}. */
  public static final String PROPERTY = "seq2seq.ejml.gemm";
  /** Name of the Vector API GEMM. */
  public static final String VECTOR = "vector";
  /** Name of EJML's GEMM. */
  public static final String EJML = "ejml";

  private static final String MODULE = "jdk.incubator.vector";
  private static final String VECTOR_CLASS = "dev.seq2seq.backend.ejml.gemm.VectorGemm";

  private FloatGemms() {}

  /** The GEMM named by {@value #PROPERTY}, or the default: vector when available, else EJML. */
  public static FloatGemm select() {
    String forced = System.getProperty(PROPERTY);
    if (forced == null || forced.isBlank()) {
      return Vector.ERROR == null ? Vector.DEFAULT : ejml();
    }
    return named(forced.trim());
  }

  /** The GEMM called {@code name} ({@value #VECTOR} or {@value #EJML}). */
  public static FloatGemm named(String name) {
    switch (name.toLowerCase(Locale.ROOT)) {
      case VECTOR:
        return vector();
      case EJML:
        return ejml();
      default:
        throw new IllegalArgumentException(
            PROPERTY + "=" + name + ": unknown float32 GEMM (expected " + VECTOR + " or " + EJML + ")");
    }
  }

  /** EJML's GEMM; always available. */
  public static FloatGemm ejml() {
    return EjmlFloatGemm.INSTANCE;
  }

  /** Whether the Vector API GEMM can be used in this JVM. */
  public static boolean vectorAvailable() {
    return Vector.ERROR == null;
  }

  /** The Vector API GEMM on up to all available processors. */
  public static FloatGemm vector() {
    requireVector();
    return Vector.DEFAULT;
  }

  /** The Vector API GEMM on at most {@code threads} threads (1 = single-threaded). */
  public static FloatGemm vector(int threads) {
    requireVector();
    return Vector.create(threads);
  }

  private static void requireVector() {
    if (Vector.ERROR != null) {
      throw new IllegalStateException("float32 GEMM 'vector' is unavailable: " + Vector.ERROR
          + " (start the JVM with --add-modules " + MODULE + ", or use " + PROPERTY + "=" + EJML + ")");
    }
  }

  /** Lazily probes and loads the vector implementation once. */
  private static final class Vector {
    static final String ERROR;
    static final FloatGemm DEFAULT;

    static {
      String error = null;
      FloatGemm gemm = null;
      if (ModuleLayer.boot().findModule(MODULE).isEmpty()) {
        error = "module " + MODULE + " is not in the boot layer";
      } else {
        try {
          gemm = load(Runtime.getRuntime().availableProcessors());
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
          error = "loading the Vector API kernel failed: " + e;
        }
      }
      ERROR = error;
      DEFAULT = gemm;
    }

    static FloatGemm create(int threads) {
      try {
        return load(threads);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    }

    private static FloatGemm load(int threads) throws ReflectiveOperationException {
      return (FloatGemm) Class.forName(VECTOR_CLASS).getDeclaredConstructor(int.class).newInstance(threads);
    }
  }
}
