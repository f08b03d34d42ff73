package dev.seq2seq.backend.tensorflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seq2seq.api.backend.BackendProvider;
import dev.seq2seq.api.backend.Backends;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/** Provider registration, the description line and device selection (this machine has CPU natives only). */
class DeviceSelectionTest {
  private static final List<DeviceSelector.Device> CPU_ONLY =
      List.of(DeviceSelector.Device.of("/job:localhost/replica:0/task:0/device:CPU:0", "CPU"));

  @Test
  void providerIsRegisteredBelowEjml() {
    BackendProvider provider = StreamSupport.stream(ServiceLoader.load(BackendProvider.class).spliterator(), false)
        .filter(p -> p.name().equals("tensorflow"))
        .collect(Collectors.toList())
        .get(0);
    assertThat(provider).isInstanceOf(TensorFlowBackendProvider.class);
    assertThat(provider.priority()).isEqualTo(50);
    assertThat(Backends.available()).contains("tensorflow");
  }

  @Test
  void descriptionNamesVersionNativeBuildAndDevice() {
    TensorFlowBackend backend = TfTestSupport.backend();
    assertThat(backend.name()).isEqualTo("tensorflow");
    assertThat(backend.description())
        .matches("tensorflow: TensorFlow 2\\.\\d+\\.\\d+ \\(Java [^)]+\\), native build \\S+ \\(CPU\\), device /CPU:0");
    assertThat(backend.nativeBuild().gpu()).isFalse();
    assertThat(backend.device()).endsWith("device:CPU:0");
    System.out.println("[tensorflow] " + backend.description() + " | library " + backend.nativeBuild().library());
  }

  @Test
  void askingForAGpuWithCpuNativesExplainsTheFix() {
    assertThatThrownBy(() -> new TensorFlowBackend("gpu"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("seq2seq.tensorflow.device=gpu")
        .hasMessageContaining("/GPU:0")
        .hasMessageContaining("CPU-only")
        .hasMessageContaining("devices found: [/CPU:0]")
        .hasMessageContaining("-Pgpu")
        .hasMessageContaining("linux-x86_64-gpu")
        .hasMessageContaining("CUDA 12")
        .hasMessageContaining("cuDNN 9");
  }

  @Test
  void theProviderReadsTheDeviceProperty() {
    String saved = System.getProperty(DeviceSelector.PROPERTY);
    System.setProperty(DeviceSelector.PROPERTY, "/device:GPU:0");
    try {
      assertThatThrownBy(() -> new TensorFlowBackendProvider().create())
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("/device:GPU:0").hasMessageContaining("-Pgpu");
    } finally {
      if (saved == null) {
        System.clearProperty(DeviceSelector.PROPERTY);
      } else {
        System.setProperty(DeviceSelector.PROPERTY, saved);
      }
    }
  }

  @Test
  void missingCpuIndexAndMalformedValues() {
    assertThatThrownBy(() -> new TensorFlowBackend("cpu:3"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("/CPU:3").hasMessageContaining("[/CPU:0]");
    assertThatThrownBy(() -> new TensorFlowBackend("tpu"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tpu").hasMessageContaining("gpu:N");
  }

  @Test
  void deviceValuesInEveryAcceptedForm() {
    assertThat(DeviceSelector.parse(null)).extracting(DeviceSelector.Request::type, DeviceSelector.Request::index)
        .containsExactly("CPU", 0);
    assertThat(DeviceSelector.parse(" GPU ").shortName()).isEqualTo("/GPU:0");
    assertThat(DeviceSelector.parse("gpu:2").shortName()).isEqualTo("/GPU:2");
    assertThat(DeviceSelector.parse("/cpu:0").shortName()).isEqualTo("/CPU:0");
    assertThat(DeviceSelector.parse("/device:GPU:1").shortName()).isEqualTo("/GPU:1");
    assertThat(DeviceSelector.parse("/job:localhost/replica:0/task:0/device:GPU:3").shortName()).isEqualTo("/GPU:3");
  }

  @Test
  void aCudaBuildWithoutAVisibleGpuPointsAtDriverAndLibraries() {
    NativeBuild cuda = new NativeBuild("2.18.0", "1.1.0", "linux-x86_64", "linux-x86_64-gpu", true, "/x/libjnitensorflow.so");
    assertThatThrownBy(() -> DeviceSelector.select(DeviceSelector.parse("gpu"), CPU_ONLY, cuda))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("linux-x86_64-gpu (GPU, CUDA)")
        .hasMessageContaining("sees no GPU")
        .hasMessageContaining("CUDA 12 and cuDNN 9")
        .hasMessageContaining("LD_LIBRARY_PATH");
    List<DeviceSelector.Device> oneGpu = List.of(CPU_ONLY.get(0),
        DeviceSelector.Device.of("/job:localhost/replica:0/task:0/device:GPU:0", "GPU"));
    assertThat(DeviceSelector.select(DeviceSelector.parse("gpu"), oneGpu, cuda).shortName()).isEqualTo("/GPU:0");
    assertThatThrownBy(() -> DeviceSelector.select(DeviceSelector.parse("gpu:1"), oneGpu, cuda))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("[/CPU:0, /GPU:0]");
  }
}
