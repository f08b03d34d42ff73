package dev.seq2seq.examples.plot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.awt.Font;
import java.awt.GraphicsEnvironment;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlotsTest {
  private static final String CJK = "一万零二百零三";

  @Test
  void heatmapCellsAreDarkerWhereTheWeightIsLarger(@TempDir Path dir) throws Exception {
    float[][] weights = {{0.9f, 0.1f, 0f}, {0f, 0.2f, 0.8f}};
    AttentionHeatmap.Heatmap map = new AttentionHeatmap.Heatmap(List.of("a", "b", "c"), List.of("x", "y"), weights);
    AttentionHeatmap.Drawing drawing = AttentionHeatmap.draw("sample", List.of(map, map));
    assertThat(drawing.cells()).hasSize(2);
    for (Rectangle[][] cells : drawing.cells()) {
      for (int r = 0; r < 2; r++) {
        for (int c = 0; c < 3; c++) {
          Rectangle cell = cells[r][c];
          Color seen = new Color(drawing.image().getRGB((int) cell.getCenterX(), (int) cell.getCenterY()));
          assertThat(seen).as("cell (%d,%d), weight %s", r, c, weights[r][c]).isEqualTo(AttentionHeatmap.colour(weights[r][c]));
        }
      }
      Color strong = new Color(drawing.image().getRGB((int) cells[0][0].getCenterX(), (int) cells[0][0].getCenterY()));
      Color weak = new Color(drawing.image().getRGB((int) cells[0][1].getCenterX(), (int) cells[0][1].getCenterY()));
      assertThat(brightness(strong)).as("weight 0.9 is darker than weight 0.1").isLessThan(brightness(weak) - 100);
    }
    Path png = dir.resolve("plots/attention.png");
    AttentionHeatmap.write(png, "sample", List.of(map));
    BufferedImage read = ImageIO.read(png.toFile());
    assertThat(read).as("a readable PNG").isNotNull();
    assertThat(read.getWidth()).isGreaterThan(3 * AttentionHeatmap.CELL);
    assertThat(Files.list(dir.resolve("plots")).toList()).as("no temporary file left").containsExactly(png);
  }

  @Test
  void heatmapRejectsWeightsThatDoNotMatchTheTokens() {
    assertThatThrownBy(() -> new AttentionHeatmap.Heatmap(List.of("a"), List.of("x", "y"), new float[][] {{1f}}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 output tokens");
    assertThatThrownBy(() -> new AttentionHeatmap.Heatmap(List.of("a", "b"), List.of("x"), new float[][] {{1f}}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 source tokens");
  }

  @Test
  void lossCurveDrawsTheRunAndItsValidations(@TempDir Path dir) throws Exception {
    List<Double> losses = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      losses.add(3 * Math.exp(-i / 60.0) + 0.1 * Math.sin(i));
    }
    List<Map.Entry<Long, Map<String, Double>>> validations = List.of(
        new AbstractMap.SimpleEntry<>(100L, Map.of("exact_match", 0.2)), new AbstractMap.SimpleEntry<>(300L, Map.of("exact_match", 0.9)));
    assertThat(LossCurve.validationMetric(validations)).isEqualTo("exact_match");
    assertThat(LossCurve.validationMetric(List.of(new AbstractMap.SimpleEntry<>(1L, Map.of("loss", 1.0, "exact_match", 0.5)))))
        .as("the validation loss wins when there is one").isEqualTo("loss");
    BufferedImage image = LossCurve.draw("run", losses, validations);
    assertThat(image.getWidth()).isEqualTo(LossCurve.WIDTH);
    assertThat(image.getHeight()).isEqualTo(LossCurve.HEIGHT);
    long blue = 0;
    long red = 0;
    for (int x = 0; x < image.getWidth(); x++) {
      for (int y = 0; y < image.getHeight(); y++) {
        Color c = new Color(image.getRGB(x, y));
        blue += c.getBlue() > 150 && c.getRed() < 80 ? 1 : 0;
        red += c.getRed() > 180 && c.getGreen() < 80 ? 1 : 0;
      }
    }
    assertThat(blue).as("pixels of the moving-average line").isGreaterThan(500);
    assertThat(red).as("pixels of the validation points").isGreaterThan(40);
    assertThatThrownBy(() -> LossCurve.draw("run", List.of(), List.of())).hasMessageContaining("no training steps");
  }

  @Test
  void labelFontDisplaysCjkWhenAnInstalledFontCan() {
    List<String> families = Arrays.asList(GraphicsEnvironment.getLocalGraphicsEnvironment().getAvailableFontFamilyNames());
    boolean anyCjk = families.stream().anyMatch(f -> new Font(f, Font.PLAIN, 12).canDisplayUpTo(CJK) == -1);
    Font chosen = LabelFonts.forLabels(List.of("10203", CJK), 12);
    assertThat(LabelFonts.displaysAll(chosen, List.of(CJK)))
        .as("a CJK label is displayable exactly when some installed font (%s) can", anyCjk).isEqualTo(anyCjk);
    assertThat(LabelFonts.forLabels(List.of("abc"), 12).getFamily())
        .as("plain labels keep the default font").isEqualTo(new Font(Font.SANS_SERIF, Font.PLAIN, 12).getFamily());
  }

  @Test
  void labelFontSkipsFamiliesThatAreNotInstalledOrCannotDisplay() {
    Font font = LabelFonts.choose(List.of("No Such Font Family 42", Font.SANS_SERIF), List.of("abc"), 12);
    assertThat(font.getName()).isEqualTo(Font.SANS_SERIF);
    Font fallback = LabelFonts.choose(List.of("No Such Font Family 42"), List.of("\uE000\uE001"), 12);
    assertThat(fallback.getName()).as("nothing displays a private-use label: SansSerif").isEqualTo(Font.SANS_SERIF);
  }

  private static int brightness(Color c) {
    return c.getRed() + c.getGreen() + c.getBlue();
  }
}
