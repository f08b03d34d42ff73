package dev.seq2seq.models.transformer;

import dev.seq2seq.api.nn.Seq2SeqBatch;
import dev.seq2seq.api.random.Rng;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Tensor;
import dev.seq2seq.models.attention.Masks;
import dev.seq2seq.models.layers.ModelTestSupport;
import dev.seq2seq.models.loss.CrossEntropyLoss;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Float64 finite-difference checks (every parameter, and the layer inputs) of the layers and of the
 * whole model's loss: d_model 4, 2 heads, dim_feedforward 8, padding and causal masks.
 */
class TransformerGradientTest extends ModelTestSupport {
  private static final int D = 4;
  private static final int HEADS = 2;
  private static final int FF = 8;

  @ParameterizedTest(name = "norm_first={0}")
  @ValueSource(booleans = {false, true})
  void encoderLayer(boolean normFirst) {
    TransformerEncoderLayer layer = new TransformerEncoderLayer(backend(), DType.FLOAT64, D, HEADS, FF, 0.0, normFirst, new Rng(3));
    randomizeParameters(layer, 30, 0.8);
    Tensor x = randn(31, 2, 3, D);
    Tensor mask = Masks.padding(backend(), DType.FLOAT64, new int[] {3, 2}, 3);
    checkParameterGradients("encoder layer", layer, () -> layer.forward(x, mask));
    checkGradients("encoder layer input", in -> layer.forward(in.get(0), mask), x);
  }

  @ParameterizedTest(name = "norm_first={0}")
  @ValueSource(booleans = {false, true})
  void decoderLayer(boolean normFirst) {
    TransformerDecoderLayer layer = new TransformerDecoderLayer(backend(), DType.FLOAT64, D, HEADS, FF, 0.0, normFirst, new Rng(4));
    randomizeParameters(layer, 40, 0.8);
    Tensor tgt = randn(41, 2, 3, D);
    Tensor memory = randn(42, 2, 4, D);
    Tensor tgtMask = Masks.padding(backend(), DType.FLOAT64, new int[] {3, 2}, 3).mul(Masks.causal(backend(), DType.FLOAT64, 3));
    Tensor memoryMask = Masks.padding(backend(), DType.FLOAT64, new int[] {4, 2}, 4);
    checkParameterGradients("decoder layer", layer, () -> layer.forward(tgt, memory, tgtMask, memoryMask));
    checkGradients("decoder layer inputs", in -> layer.forward(in.get(0), in.get(1), tgtMask, memoryMask), tgt, memory);
    checkParameterGradients("decoder layer cross-attention weights", layer,
        () -> layer.forwardWithAttention(tgt, memory, tgtMask, memoryMask).crossAttention());
  }

  @ParameterizedTest(name = "norm_first={0}")
  @ValueSource(booleans = {false, true})
  void wholeModelLoss(boolean normFirst) {
    TransformerSeq2Seq model = TransformerSeq2Seq.builder().setBackend(backend()).optDType(DType.FLOAT64)
        .setVocabularies(5, 5).setModelSize(D).setHeads(HEADS).optNumLayers(1, 1).optFeedForwardSize(FF)
        .optDropout(0).optMaxLength(8).optNormFirst(normFirst).setRng(new Rng(6)).build();
    randomizeParameters(model, 60, 0.8);
    Seq2SeqBatch batch = new Seq2SeqBatch(
        ints(new int[] {1, 2, 3, 4, 1, 0}, 2, 3),
        t(DType.FLOAT64, new double[] {1, 1, 1, 1, 1, 0}, 2, 3),
        ints(new int[] {0, 3, 2, 0, 4, 0}, 2, 3),
        ints(new int[] {3, 2, 1, 4, 1, 0}, 2, 3),
        t(DType.FLOAT64, new double[] {1, 1, 1, 1, 1, 0}, 2, 3));
    CrossEntropyLoss loss = new CrossEntropyLoss();
    checkParameterGradients("transformer seq2seq loss", model,
        () -> loss.apply(model.logits(batch), batch.targetOutput(), batch.targetMask()));
  }
}
