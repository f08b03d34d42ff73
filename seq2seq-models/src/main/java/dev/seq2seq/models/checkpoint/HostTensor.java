package dev.seq2seq.models.checkpoint;

import static com.google.common.base.Preconditions.checkArgument;

import dev.seq2seq.api.backend.Backend;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Shape;
import dev.seq2seq.api.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A tensor's dtype, shape and row-major elements in Java memory, independent of any backend: what a
 * checkpoint stores and what it hands back before the values are put on a {@link Backend}.
 *
 * <p>Exactly one of the element arrays is set, matching the dtype. Equality is bit-wise (two NaNs
 * with the same bits are equal, {@code 0.0} and {@code -0.0} are not), which is what "the
 * checkpoint round-trips exactly" means.
 */
public final class HostTensor {
  private final DType dtype;
  private final Shape shape;
  private final float[] floats;
  private final double[] doubles;
  private final int[] ints;

  private HostTensor(DType dtype, Shape shape, float[] floats, double[] doubles, int[] ints) {
    this.dtype = dtype;
    this.shape = shape;
    this.floats = floats;
    this.doubles = doubles;
    this.ints = ints;
  }

  /** A float32 tensor holding {@code data} (not copied). */
  public static HostTensor ofFloats(float[] data, Shape shape) {
    checkSize(data.length, shape);
    return new HostTensor(DType.FLOAT32, shape, data, null, null);
  }

  /** A float64 tensor holding {@code data} (not copied). */
  public static HostTensor ofDoubles(double[] data, Shape shape) {
    checkSize(data.length, shape);
    return new HostTensor(DType.FLOAT64, shape, null, data, null);
  }

  /** An int32 tensor holding {@code data} (not copied). */
  public static HostTensor ofInts(int[] data, Shape shape) {
    checkSize(data.length, shape);
    return new HostTensor(DType.INT32, shape, null, null, data);
  }

  /** A host copy of {@code tensor}'s elements (read back from its backend). */
  public static HostTensor of(Tensor tensor) {
    switch (tensor.dtype()) {
      case FLOAT32:
        return ofFloats(tensor.toFloatArray(), tensor.shape());
      case FLOAT64:
        return ofDoubles(tensor.toDoubleArray(), tensor.shape());
      case INT32:
        return ofInts(tensor.toIntArray(), tensor.shape());
      default:
        throw new AssertionError(tensor.dtype());
    }
  }

  /**
   * Puts elements {@code [from, from + count)} into {@code out} (little-endian, at its position,
   * advancing it). {@code out} must have room for {@code count * dtype.byteSize()} bytes.
   */
  void encode(int from, int count, ByteBuffer out) {
    ByteBuffer le = out.order(ByteOrder.LITTLE_ENDIAN);
    int bytes = count * dtype.byteSize();
    switch (dtype) {
      case FLOAT32:
        le.asFloatBuffer().put(floats, from, count);
        break;
      case FLOAT64:
        le.asDoubleBuffer().put(doubles, from, count);
        break;
      case INT32:
        le.asIntBuffer().put(ints, from, count);
        break;
      default:
        throw new AssertionError(dtype);
    }
    out.position(out.position() + bytes);
  }

  private static void checkSize(int length, Shape shape) {
    checkArgument(length == shape.size(), "host tensor: %s values do not fill shape %s (%s elements)", length, shape, shape.size());
  }

  /** The element type. */
  public DType dtype() {
    return dtype;
  }

  /** The dimensions. */
  public Shape shape() {
    return shape;
  }

  /** Bytes of the elements: {@code shape.size() * dtype.byteSize()}. */
  public long byteSize() {
    return (long) shape.size() * dtype.byteSize();
  }

  /** A copy of the elements of a float32 tensor. */
  public float[] floats() {
    checkArgument(dtype == DType.FLOAT32, "host tensor: floats() of a %s tensor", dtype.label());
    return floats.clone();
  }

  /** A copy of the elements of a float64 tensor. */
  public double[] doubles() {
    checkArgument(dtype == DType.FLOAT64, "host tensor: doubles() of a %s tensor", dtype.label());
    return doubles.clone();
  }

  /** A copy of the elements of an int32 tensor. */
  public int[] ints() {
    checkArgument(dtype == DType.INT32, "host tensor: ints() of a %s tensor", dtype.label());
    return ints.clone();
  }

  /** The elements on {@code backend}, in this tensor's dtype, bit for bit. */
  public Tensor toTensor(Backend backend) {
    switch (dtype) {
      case FLOAT32:
        return Tensor.wrap(backend, backend.fromFloats(floats, shape));
      case FLOAT64:
        return Tensor.wrap(backend, backend.fromDoubles(doubles, shape));
      case INT32:
        return Tensor.wrap(backend, backend.fromInts(ints, shape));
      default:
        throw new AssertionError(dtype);
    }
  }

  /**
   * This tensor converted to {@code target}: the identity if the dtypes agree; float64 to float32
   * rounds to nearest, float32 to float64 is exact.
   *
   * @throws IllegalArgumentException for any other conversion (int32 is never converted)
   */
  public HostTensor convertTo(DType target) {
    if (target == dtype) {
      return this;
    }
    if (dtype == DType.FLOAT64 && target == DType.FLOAT32) {
      float[] f = new float[doubles.length];
      for (int i = 0; i < f.length; i++) {
        f[i] = (float) doubles[i];
      }
      return ofFloats(f, shape);
    }
    if (dtype == DType.FLOAT32 && target == DType.FLOAT64) {
      double[] d = new double[floats.length];
      for (int i = 0; i < d.length; i++) {
        d[i] = floats[i];
      }
      return ofDoubles(d, shape);
    }
    throw new IllegalArgumentException(String.format(
        "host tensor: cannot convert %s to %s (only float32 <-> float64)", dtype.label(), target.label()));
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof HostTensor)) {
      return false;
    }
    HostTensor t = (HostTensor) o;
    if (t.dtype != dtype || !t.shape.equals(shape)) {
      return false;
    }
    switch (dtype) {
      case FLOAT32:
        for (int i = 0; i < floats.length; i++) {
          if (Float.floatToRawIntBits(floats[i]) != Float.floatToRawIntBits(t.floats[i])) {
            return false;
          }
        }
        return true;
      case FLOAT64:
        for (int i = 0; i < doubles.length; i++) {
          if (Double.doubleToRawLongBits(doubles[i]) != Double.doubleToRawLongBits(t.doubles[i])) {
            return false;
          }
        }
        return true;
      default:
        return Arrays.equals(ints, t.ints);
    }
  }

  @Override
  public int hashCode() {
    int h = 31 * dtype.hashCode() + shape.hashCode();
    switch (dtype) {
      case FLOAT32:
        return 31 * h + Arrays.hashCode(floats);
      case FLOAT64:
        return 31 * h + Arrays.hashCode(doubles);
      default:
        return 31 * h + Arrays.hashCode(ints);
    }
  }

  /** {@code HostTensor(float32 [2, 3])}. */
  @Override
  public String toString() {
    return "HostTensor(" + dtype.label() + " " + shape + ")";
  }
}
