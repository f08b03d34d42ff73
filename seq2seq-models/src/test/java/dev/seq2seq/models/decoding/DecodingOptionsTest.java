package dev.seq2seq.models.decoding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DecodingOptionsTest {
  private static DecodingOptions.Builder valid() {
    return DecodingOptions.builder().setSosId(0).setEosId(1).setMaxLength(10);
  }

  @Test
  void defaults() {
    DecodingOptions o = valid().build();
    assertThat(o.beamSize()).isEqualTo(4);
    assertThat(o.lengthPenaltyAlpha()).isZero();
    assertThat(o.nBest()).isEqualTo(1);
    assertThat(o.temperature()).isEqualTo(1.0);
    assertThat(o.topK()).isZero();
    assertThat(o.toBuilder().build()).isEqualTo(o);
  }

  @Test
  void missingAndInvalidSettingsAreNamed() {
    assertThatThrownBy(() -> DecodingOptions.builder().setEosId(1).setMaxLength(3).build())
        .isInstanceOf(IllegalStateException.class).hasMessage("decoding options: setSosId is required");
    assertThatThrownBy(() -> DecodingOptions.builder().setSosId(0).setMaxLength(3).build())
        .hasMessage("decoding options: setEosId is required");
    assertThatThrownBy(() -> DecodingOptions.builder().setSosId(0).setEosId(1).build())
        .hasMessage("decoding options: setMaxLength is required");
    assertThatThrownBy(() -> valid().setMaxLength(0).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessage("decoding options: max length must be >= 1, got 0");
    assertThatThrownBy(() -> valid().setEosId(-1).build()).hasMessage("decoding options: eos id must be >= 0, got -1");
    assertThatThrownBy(() -> valid().optBeamSize(0).build()).hasMessage("decoding options: beam size must be >= 1, got 0");
    assertThatThrownBy(() -> valid().optBeamSize(3).optNBest(4).build())
        .hasMessage("decoding options: n-best must be in [1, beam size 3], got 4");
    assertThatThrownBy(() -> valid().optLengthPenalty(-0.5).build())
        .hasMessage("decoding options: length penalty alpha must be finite and >= 0, got -0.5");
    assertThatThrownBy(() -> valid().optTemperature(0).build())
        .hasMessage("decoding options: temperature must be finite and > 0, got 0.0");
    assertThatThrownBy(() -> valid().optTemperature(Double.NaN).build())
        .hasMessageContaining("temperature must be finite");
    assertThatThrownBy(() -> valid().optTopK(-1).build())
        .hasMessage("decoding options: top-k must be >= 0 (0 = all tokens), got -1");
  }
}
