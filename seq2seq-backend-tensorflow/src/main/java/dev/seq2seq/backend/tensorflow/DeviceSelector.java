package dev.seq2seq.backend.tensorflow;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Chooses the device the backend runs on from the value of {@value #PROPERTY}.
 *
 * <p>Accepted values (case-insensitive): {@code cpu} (the default), {@code gpu}, {@code cpu:N},
 * {@code gpu:N}, and TensorFlow device names such as {@code /GPU:0}, {@code /device:GPU:1} or
 * {@code /job:localhost/replica:0/task:0/device:GPU:0}. A device that does not exist fails with an
 * {@link IllegalStateException} saying what was asked, what was found and how to fix it.
 */
final class DeviceSelector {
  /** System property naming the device. */
  static final String PROPERTY = "seq2seq.tensorflow.device";

  private static final Pattern SPEC = Pattern.compile(
      "(?:/job:[^/]+/replica:\\d+/task:\\d+)?/?(?:device:)?(cpu|gpu)(?::(\\d+))?", Pattern.CASE_INSENSITIVE);

  private DeviceSelector() {}

  /** A device of the TensorFlow context. */
  record Device(String name, String type, int index) {
    /** {@code /CPU:0}. */
    String shortName() {
      return "/" + type + ":" + index;
    }

    static Device of(String name, String type) {
      int colon = name.lastIndexOf(':');
      int index = colon < 0 ? 0 : Integer.parseInt(name.substring(colon + 1));
      return new Device(name, type.toUpperCase(Locale.ROOT), index);
    }
  }

  /** A parsed device request: type {@code CPU} or {@code GPU} and an index. */
  record Request(String spec, String type, int index) {
    String shortName() {
      return "/" + type + ":" + index;
    }
  }

  /** The request in the system property, {@code cpu} when unset. */
  static Request fromSystemProperty() {
    return parse(System.getProperty(PROPERTY, "cpu"));
  }

  /**
   * Parses a device value.
   *
   * @throws IllegalArgumentException if it is not one of the accepted forms
   */
  static Request parse(String spec) {
    String s = spec == null || spec.isBlank() ? "cpu" : spec.trim();
    Matcher m = SPEC.matcher(s);
    if (!m.matches()) {
      throw new IllegalArgumentException(String.format(
          "tensorflow: %s=%s is not a device; use cpu, gpu, cpu:N, gpu:N or a TensorFlow device name like /GPU:0",
          PROPERTY, spec));
    }
    int index = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
    return new Request(s, m.group(1).toUpperCase(Locale.ROOT), index);
  }

  /**
   * The available device matching the request.
   *
   * @throws IllegalStateException if there is none; the message names the request, the devices
   *     found, the native build, and the fix
   */
  static Device select(Request request, List<Device> available, NativeBuild build) {
    for (Device d : available) {
      if (d.type().equals(request.type()) && d.index() == request.index()) {
        return d;
      }
    }
    String found = available.stream().map(Device::shortName).collect(Collectors.joining(", ", "[", "]"));
    String asked = String.format("tensorflow: %s=%s asks for device %s", PROPERTY, request.spec(), request.shortName());
    if (!"GPU".equals(request.type())) {
      throw new IllegalStateException(String.format("%s, but TensorFlow has only %s. Use %s=cpu.", asked, found, PROPERTY));
    }
    boolean anyGpu = available.stream().anyMatch(d -> d.type().equals("GPU"));
    if (anyGpu) {
      throw new IllegalStateException(String.format(
          "%s, but the visible devices are %s. Pick one of them (check CUDA_VISIBLE_DEVICES).", asked, found));
    }
    if (!build.gpu()) {
      throw new IllegalStateException(String.format(
          "%s, but the loaded TensorFlow %s native build is CPU-only: %s (library %s); devices found: %s. "
              + "To run on a GPU, build with the Maven profile 'gpu' (mvn -Pgpu: natives "
              + "org.tensorflow:tensorflow-core-native:%s:linux-x86_64-gpu, Linux x86_64 only) and install "
              + "an NVIDIA driver with CUDA 12 and cuDNN 9; or set -D%s=cpu.",
          asked, build.tensorFlowVersion(), build.label(), build.library(), found, build.javaApiVersion(), PROPERTY));
    }
    throw new IllegalStateException(String.format(
        "%s; the TensorFlow %s CUDA build %s is loaded but TensorFlow sees no GPU; devices found: %s. "
            + "Check the NVIDIA driver (nvidia-smi), that the CUDA 12 and cuDNN 9 libraries are installed and on "
            + "the library path (LD_LIBRARY_PATH), and CUDA_VISIBLE_DEVICES; or set -D%s=cpu.",
        asked, build.tensorFlowVersion(), build.label(), found, PROPERTY));
  }
}
