package dev.seq2seq.backend.ejml;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seq2seq.api.tensor.Shape;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Visiting by blocks of rows (all, or in two ranges of rows) reaches the same rows, at the same offsets and in the same order, as row by row. */
class StridedLoopTest {
  private static Shape parse(String dims) {
    if (dims.isEmpty()) {
      return Shape.scalar();
    }
    String[] parts = dims.split("x");
    int[] d = new int[parts.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = Integer.parseInt(parts[i]);
    }
    return Shape.of(d);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"64x4x20x20 64x1x1x20 1", "2x3x4 2x3x4 2x3x4", "5 5 ", "3x1x4 4 3x1x1", "2x3x5x7 3x1x7 2x1x5x1", "0x4 4 1"})
  void blocksVisitTheRowsOfRowByRow(String shapes) {
    String[] s = shapes.split(" ", -1);
    Shape out = parse(s[0]);
    StridedLoop loop = StridedLoop.broadcast(out, parse(s[1]), parse(s[2]));
    List<String> byRow = new ArrayList<>();
    loop.forEachRow((o, n) -> byRow.add(o[0] + "," + o[1] + "," + o[2] + ":" + n));
    List<String> byBlock = new ArrayList<>();
    loop.forEachBlock(0, loop.rows(), (o, step, rows, n) -> {
      for (int r = 0; r < rows; r++) {
        byBlock.add((o[0] + r * step[0]) + "," + (o[1] + r * step[1]) + "," + (o[2] + r * step[2]) + ":" + n);
      }
    });
    assertThat(byBlock).as("rows of %s", shapes).isEqualTo(byRow).hasSize(loop.rows());
    // ranges of rows, as split over threads, visit the same rows in the same order
    int rowCount = loop.rows();
    for (int cut = 0; cut <= rowCount; cut++) {
      List<String> byRanges = new ArrayList<>();
      StridedLoop.BlockVisitor visit = (o, step, rows, n) -> {
        for (int r = 0; r < rows; r++) {
          byRanges.add((o[0] + r * step[0]) + "," + (o[1] + r * step[1]) + "," + (o[2] + r * step[2]) + ":" + n);
        }
      };
      loop.forEachBlock(0, cut, visit);
      loop.forEachBlock(cut, rowCount, visit);
      assertThat(byRanges).as("rows of %s, rows [0, %d) then [%d, %d)", shapes, cut, cut, rowCount).isEqualTo(byRow);
    }
  }
}
