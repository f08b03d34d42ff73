package dev.seq2seq.api.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ShapeTest {
  @Test
  void broadcastAlignsTrailingDimensions() {
    assertThat(Shape.broadcast("add", Shape.of(64, 1, 8), Shape.of(5, 8))).isEqualTo(Shape.of(64, 5, 8));
    assertThat(Shape.broadcast("add", Shape.scalar(), Shape.of(2, 3))).isEqualTo(Shape.of(2, 3));
    assertThat(Shape.broadcast("add", Shape.of(2, 1), Shape.of(1, 3))).isEqualTo(Shape.of(2, 3));
  }

  @Test
  void incompatibleShapesNameTheOpAndBothShapes() {
    assertThatThrownBy(() -> Shape.broadcast("mul", Shape.of(2, 3), Shape.of(4, 3)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("mul: [2, 3] and [4, 3]: shapes do not broadcast (dimension 0: 2 vs 4)");
  }

  @Test
  void sizesStridesAndAxes() {
    Shape s = Shape.of(2, 3, 4);
    assertThat(s.size()).isEqualTo(24);
    assertThat(s.strides()).containsExactly(12, 4, 1);
    assertThat(s.dim(-1)).isEqualTo(4);
    assertThat(Shape.scalar().size()).isEqualTo(1);
    assertThat(s.withDim(1, 7)).isEqualTo(Shape.of(2, 7, 4));
    assertThatThrownBy(() -> s.normalizeAxis(3)).hasMessageContaining("axis 3 out of range for shape [2, 3, 4]");
    assertThatThrownBy(() -> Shape.of(2, -1)).hasMessageContaining("dimensions must be >= 0");
  }
}
