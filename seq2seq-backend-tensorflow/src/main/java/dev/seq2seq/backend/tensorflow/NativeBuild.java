package dev.seq2seq.backend.tensorflow;

import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteBuffer;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_GetRegisteredKernelsForOp;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Loader;
import org.tensorflow.TensorFlow;
import org.tensorflow.internal.c_api.TF_Buffer;
import org.tensorflow.internal.c_api.TF_Status;
import org.tensorflow.proto.KernelDef;
import org.tensorflow.proto.KernelList;

/**
 * Which TensorFlow native library this process loaded: versions, JavaCPP platform, and whether it
 * is the CUDA build.
 *
 * <p>JavaCPP unpacks the natives of the classifier jar on the class path into
 * {@code <cache>/.../org/tensorflow/internal/c_api/<platform><extension>/}; the directory of the
 * loaded JNI library therefore names the build ({@code linux-x86_64} or {@code linux-x86_64-gpu}).
 * When the library came from elsewhere (e.g. {@code java.library.path}) the build is instead told
 * by the kernel registry: a CUDA build registers GPU kernels for {@code MatMul}.
 *
 * @param tensorFlowVersion the native TensorFlow version, e.g. {@code 2.18.0}
 * @param javaApiVersion the TensorFlow Java version, e.g. {@code 1.1.0}, or {@code ?} if unknown
 * @param platform the JavaCPP platform, e.g. {@code linux-x86_64}
 * @param build the native build, e.g. {@code linux-x86_64-gpu}
 * @param gpu whether the build contains CUDA kernels
 * @param library the path of the loaded JNI library, or {@code ?} if unknown
 */
public record NativeBuild(
    String tensorFlowVersion, String javaApiVersion, String platform, String build, boolean gpu, String library) {

  private static final String JNI_LIBRARY = "jnitensorflow";

  /** Loads TensorFlow if needed and describes the library that was loaded. */
  public static NativeBuild detect() {
    String version = TensorFlow.version(); // loads the natives
    String platform = Loader.getPlatform();
    String library = Loader.getLoadedLibraries().get(JNI_LIBRARY);
    String build = null;
    if (library != null) {
      String dir = new File(library).getParentFile().getName();
      if (dir.startsWith(platform)) {
        build = dir;
      }
    }
    boolean gpu = build != null ? build.substring(platform.length()).contains("gpu") : hasGpuKernels();
    if (build == null) {
      build = platform + (gpu ? "-gpu" : "") + " (from the library path)";
    }
    return new NativeBuild(version, readJavaApiVersion(), platform, build, gpu, library == null ? "?" : library);
  }

  /** {@code linux-x86_64 (CPU)} or {@code linux-x86_64-gpu (GPU, CUDA)}. */
  public String label() {
    return build + (gpu ? " (GPU, CUDA)" : " (CPU)");
  }

  private static boolean hasGpuKernels() {
    TF_Status status = TfStatus.fresh();
    TF_Buffer buffer = TF_GetRegisteredKernelsForOp("MatMul", status);
    status.throwExceptionIfNotOK();
    try {
      byte[] bytes = new byte[Math.toIntExact(buffer.length())];
      new BytePointer(buffer.data()).capacity(bytes.length).get(bytes);
      for (KernelDef kernel : KernelList.parseFrom(bytes).getKernelList()) {
        if ("GPU".equals(kernel.getDeviceType())) {
          return true;
        }
      }
      return false;
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new IllegalStateException("tensorflow: cannot read the kernel registry", e);
    } finally {
      TF_DeleteBuffer(buffer);
    }
  }

  private static String readJavaApiVersion() {
    String resource = "/META-INF/maven/org.tensorflow/tensorflow-core-api/pom.properties";
    try (InputStream in = TensorFlow.class.getResourceAsStream(resource)) {
      if (in == null) {
        return "?";
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version", "?");
    } catch (IOException e) {
      return "?";
    }
  }
}
