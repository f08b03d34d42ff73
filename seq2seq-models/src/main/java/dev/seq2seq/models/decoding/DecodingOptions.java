package dev.seq2seq.models.decoding;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;

/**
 * Settings of the decoders; immutable and validated on construction.
 *
 * <p>Every decoder reads {@code sosId}, {@code eosId} and {@code maxLength}; {@link BeamSearchDecoder}
 * also {@code beamSize}, {@code lengthPenaltyAlpha} and {@code nBest}; {@link SamplingDecoder}
 * also {@code temperature}, {@code topK} and {@code seed}. Other settings are ignored.
 *
 * @param sosId the token fed at the first step
 * @param eosId the token that ends a hypothesis
 * @param maxLength the maximum number of decoder steps per hypothesis ({@code <eos>} step included)
 * @param beamSize hypotheses kept per input by beam search, {@code k >= 1}
 * @param lengthPenaltyAlpha {@code alpha >= 0} of the GNMT length penalty; 0 disables it
 * @param nBest hypotheses returned per input by beam search, {@code 1 <= n <= k}
 * @param temperature {@code > 0}: sampling divides the logits by it (1 = the model's distribution)
 * @param topK sampling draws only among the {@code topK} most likely tokens; 0 = all tokens
 * @param seed the seed of {@link SamplingDecoder#decode(dev.seq2seq.api.nn.Seq2Seq,
 *     dev.seq2seq.api.tensor.Tensor, dev.seq2seq.api.tensor.Tensor)}
 */
public record DecodingOptions(int sosId, int eosId, int maxLength, int beamSize, double lengthPenaltyAlpha,
    int nBest, double temperature, int topK, long seed) {

  /** Checks every setting, naming the first bad one. */
  public DecodingOptions {
    checkArgument(sosId >= 0, "decoding options: sos id must be >= 0, got %s", sosId);
    checkArgument(eosId >= 0, "decoding options: eos id must be >= 0, got %s", eosId);
    checkArgument(maxLength >= 1, "decoding options: max length must be >= 1, got %s", maxLength);
    checkArgument(beamSize >= 1, "decoding options: beam size must be >= 1, got %s", beamSize);
    checkArgument(Double.isFinite(lengthPenaltyAlpha) && lengthPenaltyAlpha >= 0,
        "decoding options: length penalty alpha must be finite and >= 0, got %s", lengthPenaltyAlpha);
    checkArgument(nBest >= 1 && nBest <= beamSize,
        "decoding options: n-best must be in [1, beam size %s], got %s", beamSize, nBest);
    checkArgument(Double.isFinite(temperature) && temperature > 0,
        "decoding options: temperature must be finite and > 0, got %s", temperature);
    checkArgument(topK >= 0, "decoding options: top-k must be >= 0 (0 = all tokens), got %s", topK);
  }

  /** A builder: {@code setX} for required, {@code optX} for optional settings. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these settings. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.sosId = sosId;
    b.eosId = eosId;
    b.maxLength = maxLength;
    b.beamSize = beamSize;
    b.alpha = lengthPenaltyAlpha;
    b.nBest = nBest;
    b.temperature = temperature;
    b.topK = topK;
    b.seed = seed;
    return b;
  }

  /** Builds {@link DecodingOptions}. */
  public static final class Builder {
    private Integer sosId;
    private Integer eosId;
    private Integer maxLength;
    private int beamSize = 4;
    private double alpha = 0;
    private int nBest = 1;
    private double temperature = 1.0;
    private int topK = 0;
    private long seed = 0;

    private Builder() {}

    /** The start token (required). */
    public Builder setSosId(int sosId) {
      this.sosId = sosId;
      return this;
    }

    /** The end token (required). */
    public Builder setEosId(int eosId) {
      this.eosId = eosId;
      return this;
    }

    /** Maximum decoder steps per hypothesis, the {@code <eos>} step included (required). */
    public Builder setMaxLength(int maxLength) {
      this.maxLength = maxLength;
      return this;
    }

    /** Beam size {@code k} (default 4). */
    public Builder optBeamSize(int beamSize) {
      this.beamSize = beamSize;
      return this;
    }

    /** GNMT length penalty exponent {@code alpha} (default 0: no penalty). */
    public Builder optLengthPenalty(double alpha) {
      this.alpha = alpha;
      return this;
    }

    /** Hypotheses returned per input by beam search (default 1). */
    public Builder optNBest(int nBest) {
      this.nBest = nBest;
      return this;
    }

    /** Sampling temperature (default 1). */
    public Builder optTemperature(double temperature) {
      this.temperature = temperature;
      return this;
    }

    /** Sampling among the {@code k} most likely tokens (default 0: all tokens). */
    public Builder optTopK(int topK) {
      this.topK = topK;
      return this;
    }

    /** Sampling seed (default 0). */
    public Builder optSeed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * Builds the options.
     *
     * @throws IllegalStateException if a required setting is missing
     * @throws IllegalArgumentException naming the first invalid setting
     */
    public DecodingOptions build() {
      checkState(sosId != null, "decoding options: setSosId is required");
      checkState(eosId != null, "decoding options: setEosId is required");
      checkState(maxLength != null, "decoding options: setMaxLength is required");
      return new DecodingOptions(sosId, eosId, maxLength, beamSize, alpha, nBest, temperature, topK, seed);
    }
  }
}
