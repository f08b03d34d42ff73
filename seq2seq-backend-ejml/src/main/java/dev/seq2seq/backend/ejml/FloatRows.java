package dev.seq2seq.backend.ejml;

import dev.seq2seq.api.backend.Op;
import dev.seq2seq.backend.ejml.floatmath.FloatMath;

/**
 * Float32 row kernels of the binary elementwise ops, one plain loop per op and stride pattern so
 * that the JIT compiles each to straight (auto-vectorised) code instead of calling an operator
 * object per element.
 *
 * <p>Every op is computed directly in float: for {@code + - * /} this is exactly the float32
 * rounding of the double result (double has more than twice float's precision), and
 * {@code max} and the comparisons are exact, so the results equal those of the generic
 * double-widening path of {@link Elementwise}. Subnormal products and quotients are flushed to zero
 * there and here ({@link FloatMath#flushSubnormal}).
 */
final class FloatRows {
  private FloatRows() {}

  /**
   * {@code z[o + j] = x[i + j * sx] op y[k + j * sy]} for {@code j < n}, where each stride is 0 or 1.
   *
   * @return false (nothing written) when a stride is neither 0 nor 1 or the op is not binary
   */
  static boolean binary(Op op, float[] x, int i, int sx, float[] y, int k, int sy, float[] z, int o, int n) {
    if ((sx | sy) >>> 1 != 0) {
      return false;
    }
    int pattern = sx * 2 + sy; // 3: both rows, 2: y scalar, 1: x scalar, 0: both scalar
    switch (op) {
      case ADD:
        add(pattern, x, i, y, k, z, o, n);
        return true;
      case SUB:
        sub(pattern, x, i, y, k, z, o, n);
        return true;
      case MUL:
        mul(pattern, x, i, y, k, z, o, n);
        return true;
      case DIV:
        div(pattern, x, i, y, k, z, o, n);
        return true;
      case MAXIMUM:
        maximum(pattern, x, i, y, k, z, o, n);
        return true;
      case EQUAL:
        equal(pattern, x, i, y, k, z, o, n);
        return true;
      case GREATER:
        greater(pattern, x, i, y, k, z, o, n);
        return true;
      case LESS:
        less(pattern, x, i, y, k, z, o, n);
        return true;
      default:
        return false;
    }
  }

  /**
   * {@code z[j] = x[j] op y[j]} for {@code from <= j < to} when {@code op} is {@code + - * /}: one
   * index into all three arrays. JDK 17's auto-vectorizer needs that (the arrays might be one): with
   * an offset per array, as in {@link #binary}, it leaves the loop scalar (0.43 against 0.11 ns an
   * element here for a 16k-element add). Products and quotients run on {@code floatMath}, which
   * flushes their subnormal results on vector lanes (a conditional keeps the auto-vectorizer out).
   *
   * @return false (nothing written) for any other op
   */
  static boolean sameIndex(Op op, FloatMath floatMath, float[] x, float[] y, float[] z, int from, int to) {
    switch (op) {
      case ADD:
        for (int j = from; j < to; j++) {
          z[j] = x[j] + y[j];
        }
        return true;
      case SUB:
        for (int j = from; j < to; j++) {
          z[j] = x[j] - y[j];
        }
        return true;
      case MUL:
        floatMath.multiply(x, y, z, from, to);
        return true;
      case DIV:
        floatMath.divide(x, y, z, from, to);
        return true;
      default:
        return false;
    }
  }

  private static void add(int pattern, float[] x, int i, float[] y, int k, float[] z, int o, int n) {
    switch (pattern) {
      case 3:
        for (int j = 0; j < n; j++) {
          float a = x[i + j];
          float b = y[k + j];
          z[o + j] = a + b;
        }
        break;
      case 2: {
        float b = y[k];
        for (int j = 0; j < n; j++) {
          float a = x[i + j];
          z[o + j] = a + b;
        }
        break;
      }
      case 1: {
        float a = x[i];
        for (int j = 0; j < n; j++) {
          float b = y[k + j];
          z[o + j] = a + b;
        }
        break;
      }
      default: {
        float a = x[i];
        float b = y[k];
        java.util.Arrays.fill(z, o, o + n, a + b);
      }
    }
  }

  private static void sub(int pattern, float[] x, int i, float[] y, int k, float[] z, int o, int n) {
    switch (pattern) {
      case 3:
        for (int j = 0; j < n; j++) {
          float a = x[i + j];
          float b = y[k + j];
          z[o + j] = a - b;
        }
        break;
      case 2: {
        float b = y[k];
        for (int j = 0; j < n; j++) {
          float a = x[i + j];
          z[o + j] = a - b;
        }
        break;
      }
      case 1: {
        float a = x[i];
        for (int j = 0; j < n; j++) {
          float b = y[k + j];
          z[o + j] = a - b;
        }
        break;
      }
      default: {
        float a = x[i];
        float b = y[k];
        java.util.Arrays.fill(z, o, o + n, a - b);
      }
    }
  }

  private static void mul(int pattern, float[] x, int i, float[] y, int k, float[] z, int o, int n) {
    switch (pattern) {
      case 3:
        for (int j = 0; j < n; j++) {
          float a = x[i + j];
          float b = y[k + j];
          z[o + j] = FloatMath.flushSubnormal(a * b);
        }
        break;
      case 2: {
        float b = y[k];
        for (int j = 0; j < n; j++) {
          float a = x[i + j];
          z[o + j] = FloatMath.flushSubnormal(a * b);
        }
        break;
      }
      case 1: {
        float a = x[i];
        for (int j = 0; j < n; j++) {
          float b = y[k + j];
          z[o + j] = FloatMath.flushSubnormal(a * b);
        }
        break;
      }
      default: {
        float a = x[i];
        float b = y[k];
        java.util.Arrays.fill(z, o, o + n, FloatMath.flushSubnormal(a * b));
      }
    }
  }

  private static void div(int pattern, float[] x, int i, float[] y, int k, float[] z, int o, int n) {
    switch (pattern) {
      case 3:
        for (int j = 0; j < n; j++) {
          float a = x[i + j];
          float b = y[k + j];
          z[o + j] = FloatMath.flushSubnormal(a / b);
        }
        break;
      case 2: {
        float b = y[k];
        for (int j = 0; j < n; j++) {
          float a = x[i + j];
          z[o + j] = FloatMath.flushSubnormal(a / b);
        }
        break;
      }
      case 1: {
        float a = x[i];
        for (int j = 0; j < n; j++) {
          float b = y[k + j];
          z[o + j] = FloatMath.flushSubnormal(a / b);
        }
        break;
      }
      default: {
        float a = x[i];
        float b = y[k];
        java.util.Arrays.fill(z, o, o + n, FloatMath.flushSubnormal(a / b));
      }
    }
  }

  private static void maximum(int pattern, float[] x, int i, float[] y, int k, float[] z, int o, int n) {
    switch (pattern) {
      case 3:
        for (int j = 0; j < n; j++) {
          float a = x[i + j];
          float b = y[k + j];
          z[o + j] = Math.max(a, b);
        }
        break;
      case 2: {
        float b = y[k];
        for (int j = 0; j < n; j++) {
          float a = x[i + j];
          z[o + j] = Math.max(a, b);
        }
        break;
      }
      case 1: {
        float a = x[i];
        for (int j = 0; j < n; j++) {
          float b = y[k + j];
          z[o + j] = Math.max(a, b);
        }
        break;
      }
      default: {
        float a = x[i];
        float b = y[k];
        java.util.Arrays.fill(z, o, o + n, Math.max(a, b));
      }
    }
  }

  private static void equal(int pattern, float[] x, int i, float[] y, int k, float[] z, int o, int n) {
    switch (pattern) {
      case 3:
        for (int j = 0; j < n; j++) {
          float a = x[i + j];
          float b = y[k + j];
          z[o + j] = a == b ? 1f : 0f;
        }
        break;
      case 2: {
        float b = y[k];
        for (int j = 0; j < n; j++) {
          float a = x[i + j];
          z[o + j] = a == b ? 1f : 0f;
        }
        break;
      }
      case 1: {
        float a = x[i];
        for (int j = 0; j < n; j++) {
          float b = y[k + j];
          z[o + j] = a == b ? 1f : 0f;
        }
        break;
      }
      default: {
        float a = x[i];
        float b = y[k];
        java.util.Arrays.fill(z, o, o + n, a == b ? 1f : 0f);
      }
    }
  }

  private static void greater(int pattern, float[] x, int i, float[] y, int k, float[] z, int o, int n) {
    switch (pattern) {
      case 3:
        for (int j = 0; j < n; j++) {
          float a = x[i + j];
          float b = y[k + j];
          z[o + j] = a > b ? 1f : 0f;
        }
        break;
      case 2: {
        float b = y[k];
        for (int j = 0; j < n; j++) {
          float a = x[i + j];
          z[o + j] = a > b ? 1f : 0f;
        }
        break;
      }
      case 1: {
        float a = x[i];
        for (int j = 0; j < n; j++) {
          float b = y[k + j];
          z[o + j] = a > b ? 1f : 0f;
        }
        break;
      }
      default: {
        float a = x[i];
        float b = y[k];
        java.util.Arrays.fill(z, o, o + n, a > b ? 1f : 0f);
      }
    }
  }

  private static void less(int pattern, float[] x, int i, float[] y, int k, float[] z, int o, int n) {
    switch (pattern) {
      case 3:
        for (int j = 0; j < n; j++) {
          float a = x[i + j];
          float b = y[k + j];
          z[o + j] = a < b ? 1f : 0f;
        }
        break;
      case 2: {
        float b = y[k];
        for (int j = 0; j < n; j++) {
          float a = x[i + j];
          z[o + j] = a < b ? 1f : 0f;
        }
        break;
      }
      case 1: {
        float a = x[i];
        for (int j = 0; j < n; j++) {
          float b = y[k + j];
          z[o + j] = a < b ? 1f : 0f;
        }
        break;
      }
      default: {
        float a = x[i];
        float b = y[k];
        java.util.Arrays.fill(z, o, o + n, a < b ? 1f : 0f);
      }
    }
  }

}
