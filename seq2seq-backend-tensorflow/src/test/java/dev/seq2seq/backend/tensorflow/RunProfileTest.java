package dev.seq2seq.backend.tensorflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewBufferFromString;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.bytedeco.javacpp.BytePointer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tensorflow.TensorFlow;
import org.tensorflow.internal.c_api.TF_Buffer;
import org.tensorflow.proto.DeviceStepStats;
import org.tensorflow.proto.NodeExecStats;
import org.tensorflow.proto.RunMetadata;
import org.tensorflow.proto.StepStats;

/** The op-type table of {@link RunProfile} from run metadata as TensorFlow writes it. */
class RunProfileTest {
  private static NodeExecStats node(String name, String label, long start, long end) {
    return NodeExecStats.newBuilder().setNodeName(name).setTimelineLabel(label).setOpStartRelMicros(start).setOpEndRelMicros(end).build();
  }

  @BeforeAll
  static void loadNatives() {
    TensorFlow.version(); // loads the native library the buffers live in
  }

  private static TF_Buffer metadata(NodeExecStats... nodes) {
    byte[] bytes = RunMetadata.newBuilder()
        .setStepStats(StepStats.newBuilder().addDevStats(DeviceStepStats.newBuilder().setDevice("cpu").addAllNodeStats(java.util.List.of(nodes))))
        .build()
        .toByteArray();
    BytePointer pointer = new BytePointer(bytes);
    try {
      return TF_NewBufferFromString(pointer, bytes.length);
    } finally {
      pointer.deallocate();
    }
  }

  @Test
  void opTimesAreSummedByOpTypeFromTheTimelineLabelPerRunOfEachStep() {
    RunProfile profile = new RunProfile();
    for (int run = 0; run < 2; run++) {
      profile.record("train_step", metadata(
          node("dense/a", "dense/a = MatMul(x, w)", 10, 40), // 30 us
          node("dense/b", "dense/b = MatMul(dense/a, w)", 0, 30), // 30 us
          node("sum", "sum = AddV2(dense/b, x)", 5, 15), // 10 us
          node("_SOURCE", "", 0, 1)), // no label: named by its node
          4_000_000L);
    }
    profile.record("decode", metadata(node("t", "t = Tanh(x)", 0, 500)), 1_000_000L);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    profile.print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String table = bytes.toString(StandardCharsets.UTF_8);

    assertThat(table).contains("'train_step': 2 traced runs, 4.0 ms wall and 0.1 ms in op kernels per run");
    assertThat(table).containsPattern("MatMul +2\\.0 +0\\.06 +84\\.5%"); // 60 of 71 us
    assertThat(table).containsPattern("AddV2 +1\\.0 +0\\.01 +14\\.1%");
    assertThat(table).containsPattern("_SOURCE +1\\.0 +0\\.00 +1\\.4%");
    assertThat(table).contains("'decode': 1 traced runs, 1.0 ms wall and 0.5 ms in op kernels per run");
    assertThat(table).containsPattern("Tanh +1\\.0 +0\\.50 +100\\.0%");
  }
}
