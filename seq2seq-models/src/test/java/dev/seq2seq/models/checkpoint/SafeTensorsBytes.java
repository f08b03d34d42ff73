package dev.seq2seq.models.checkpoint;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Builds safetensors files byte by byte from the spec, independently of {@link SafeTensors}. */
final class SafeTensorsBytes {
  private SafeTensorsBytes() {}

  /** 8-byte little-endian {@code headerLength}, then the header text, then {@code data}. */
  static byte[] file(long headerLength, String header, byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(headerLength).array());
    out.writeBytes(header.getBytes(StandardCharsets.UTF_8));
    out.writeBytes(data);
    return out.toByteArray();
  }

  /** A well-formed file: the header's true length, then {@code data}. */
  static byte[] file(String header, byte[] data) {
    return file(header.getBytes(StandardCharsets.UTF_8).length, header, data);
  }

  static byte[] floats(float... values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      b.putFloat(v);
    }
    return b.array();
  }

  static byte[] doubles(double... values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (double v : values) {
      b.putDouble(v);
    }
    return b.array();
  }

  static byte[] ints(int... values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int v : values) {
      b.putInt(v);
    }
    return b.array();
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
