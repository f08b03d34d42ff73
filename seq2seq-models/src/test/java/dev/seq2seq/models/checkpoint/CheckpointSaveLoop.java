package dev.seq2seq.models.checkpoint;

import dev.seq2seq.api.backend.Backend;
import dev.seq2seq.api.backend.Backends;
import dev.seq2seq.api.random.Rng;
import dev.seq2seq.api.tensor.Shape;
import dev.seq2seq.api.tensor.Tensor;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The child process of {@link CheckpointCrashTest}: saves checkpoints to {@code args[0]} in an
 * endless loop, step {@code args[1]}, {@code args[1] + 1}, ..., printing {@code saved <step>} after
 * each completed save, until it is killed.
 */
public final class CheckpointSaveLoop {
  private CheckpointSaveLoop() {}

  /** The weights of step {@code step}: a deterministic function of the step, ~1.5 MB in all. */
  static Map<String, HostTensor> weights(long step) {
    Rng rng = new Rng(step);
    Map<String, HostTensor> w = new LinkedHashMap<>();
    int[][] shapes = {{300, 400}, {400, 300}, {400}, {50, 50}};
    String[] names = {"encoder.weight", "decoder.weight", "decoder.bias", "head.weight"};
    for (int i = 0; i < shapes.length; i++) {
      Shape shape = Shape.of(shapes[i]);
      float[] f = new float[shape.size()];
      for (int j = 0; j < f.length; j++) {
        f[j] = (float) rng.nextDouble();
      }
      w.put(names[i], HostTensor.ofFloats(f, shape));
    }
    return w;
  }

  static CheckpointWriter writer(Backend backend, long step) {
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    weights(step).forEach((k, v) -> tensors.put(k, v.toTensor(backend)));
    Map<String, Tensor> optimizer = new LinkedHashMap<>();
    optimizer.put("exp_avg.head.weight", weights(step + 1_000_000).get("head.weight").toTensor(backend));
    return CheckpointWriter.builder().setWeights(tensors).optOptimizerState(optimizer)
        .optConfig(Map.of("step_of_config", step)).optTrainingState(TrainingState.of(step, step / 10)).build();
  }

  public static void main(String[] args) throws Exception {
    Path target = Path.of(args[0]);
    long step = Long.parseLong(args[1]);
    Backend backend = Backends.get("ejml");
    while (true) {
      writer(backend, step).save(target);
      System.out.println("saved " + step);
      System.out.flush();
      step++;
    }
  }
}
