package dev.seq2seq.examples.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Attention heatmaps of sample decodes as one PNG: the maps are stacked top to bottom, each with
 * the source tokens along the x axis (top), the output tokens along the y axis (left), one cell per
 * (output step, source token) whose colour goes from white (weight 0) to dark blue (weight 1), and
 * one shared colour scale on the right. Row {@code i} is where the step that produced output token
 * {@code i} looked.
 */
public final class AttentionHeatmap {
  static final int CELL = 26;
  static final Color LOW = Color.WHITE;
  static final Color HIGH = new Color(8, 48, 107);
  private static final int MARGIN = 16;
  private static final int GAP = 28;
  private static final int SCALE_WIDTH = 16;
  private static final int FONT_SIZE = 14;

  private AttentionHeatmap() {}

  /**
   * One decode's attention.
   *
   * @param sourceTokens the source, one label per column
   * @param outputTokens the output, one label per row
   * @param weights {@code [outputTokens.size()][sourceTokens.size()]}, each in [0, 1]
   */
  public record Heatmap(List<String> sourceTokens, List<String> outputTokens, float[][] weights) {
    /** Checks that the weights have one row per output token and one column per source token. */
    public Heatmap {
      sourceTokens = List.copyOf(sourceTokens);
      outputTokens = List.copyOf(outputTokens);
      if (weights.length != outputTokens.size()) {
        throw new IllegalArgumentException(String.format(
            "attention heatmap: %d weight rows for %d output tokens; expected one row per output token", weights.length, outputTokens.size()));
      }
      for (float[] row : weights) {
        if (row.length != sourceTokens.size()) {
          throw new IllegalArgumentException(String.format(
              "attention heatmap: a weight row has %d columns for %d source tokens; expected one per source token", row.length, sourceTokens.size()));
        }
      }
    }
  }

  /** A drawn image and where each map's cells are ({@code cells.get(map)[row][column]}). */
  record Drawing(BufferedImage image, List<Rectangle[][]> cells) {}

  /** Writes the maps as one PNG to {@code png} (parent directories are created). */
  public static void write(Path png, String title, List<Heatmap> maps) {
    Plots.writePng(png, draw(title, maps).image());
  }

  /** Draws the maps. */
  static Drawing draw(String title, List<Heatmap> maps) {
    if (maps.isEmpty()) {
      throw new IllegalArgumentException("attention heatmap: no maps to draw; expected at least one decode with attention");
    }
    List<String> labels = new ArrayList<>(List.of(title));
    maps.forEach(m -> {
      labels.addAll(m.sourceTokens());
      labels.addAll(m.outputTokens());
    });
    Font font = LabelFonts.forLabels(labels, FONT_SIZE);
    FontMetrics metrics = Plots.metrics(font);
    int rowLabelWidth = 0;
    int columnLabelHeight = metrics.getHeight();
    int widestColumns = 0;
    for (Heatmap m : maps) {
      for (String t : m.outputTokens()) {
        rowLabelWidth = Math.max(rowLabelWidth, metrics.stringWidth(t));
      }
      for (String t : m.sourceTokens()) {
        columnLabelHeight = Math.max(columnLabelHeight, metrics.stringWidth(t) > CELL ? metrics.stringWidth(t) + 4 : metrics.getHeight());
      }
      widestColumns = Math.max(widestColumns, m.sourceTokens().size());
    }
    int left = MARGIN + rowLabelWidth + 8;
    int titleHeight = metrics.getHeight() + 8;
    int width = Math.max(left + widestColumns * CELL + MARGIN + SCALE_WIDTH + 48, MARGIN * 2 + metrics.stringWidth(title));
    int height = MARGIN + titleHeight;
    for (Heatmap m : maps) {
      height += columnLabelHeight + 4 + m.outputTokens().size() * CELL + GAP;
    }
    height += MARGIN - GAP;

    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, width, height);
    g.setFont(font);
    g.setColor(Color.BLACK);
    g.drawString(title, MARGIN, MARGIN + metrics.getAscent());

    List<Rectangle[][]> cells = new ArrayList<>();
    int y = MARGIN + titleHeight;
    for (Heatmap m : maps) {
      int top = y + columnLabelHeight + 4;
      for (int c = 0; c < m.sourceTokens().size(); c++) {
        String t = m.sourceTokens().get(c);
        int x = left + c * CELL;
        g.setColor(Color.BLACK);
        if (metrics.stringWidth(t) > CELL) { // long tokens read bottom to top
          AffineTransform saved = g.getTransform();
          g.rotate(-Math.PI / 2, x + CELL / 2.0 + metrics.getAscent() / 2.0, top - 4);
          g.drawString(t, (int) (x + CELL / 2.0 + metrics.getAscent() / 2.0), top - 4);
          g.setTransform(saved);
        } else {
          g.drawString(t, x + (CELL - metrics.stringWidth(t)) / 2, top - 4 - metrics.getDescent());
        }
      }
      Rectangle[][] rects = new Rectangle[m.outputTokens().size()][m.sourceTokens().size()];
      for (int r = 0; r < m.outputTokens().size(); r++) {
        String t = m.outputTokens().get(r);
        int rowTop = top + r * CELL;
        g.setColor(Color.BLACK);
        g.drawString(t, left - 8 - metrics.stringWidth(t), rowTop + (CELL + metrics.getAscent() - metrics.getDescent()) / 2);
        for (int c = 0; c < m.sourceTokens().size(); c++) {
          rects[r][c] = new Rectangle(left + c * CELL, rowTop, CELL, CELL);
          g.setColor(colour(m.weights()[r][c]));
          g.fill(rects[r][c]);
        }
      }
      g.setColor(Color.GRAY);
      g.setStroke(new BasicStroke(1));
      g.drawRect(left, top, m.sourceTokens().size() * CELL, m.outputTokens().size() * CELL);
      cells.add(rects);
      y = top + m.outputTokens().size() * CELL + GAP;
    }
    drawScale(g, metrics, left + widestColumns * CELL + MARGIN, MARGIN + titleHeight + columnLabelHeight + 4,
        Math.max(3 * CELL, maps.get(0).outputTokens().size() * CELL));
    g.dispose();
    return new Drawing(image, cells);
  }

  /** The colour of weight {@code w}: white at 0, dark blue at 1 (clamped). */
  static Color colour(double w) {
    double t = Double.isFinite(w) ? Math.max(0, Math.min(1, w)) : 0;
    return new Color(mix(LOW.getRed(), HIGH.getRed(), t), mix(LOW.getGreen(), HIGH.getGreen(), t), mix(LOW.getBlue(), HIGH.getBlue(), t));
  }

  private static int mix(int a, int b, double t) {
    return (int) Math.round(a + (b - a) * t);
  }

  private static void drawScale(Graphics2D g, FontMetrics metrics, int x, int top, int height) {
    for (int i = 0; i < height; i++) {
      g.setColor(colour(1 - (double) i / (height - 1)));
      g.drawLine(x, top + i, x + SCALE_WIDTH, top + i);
    }
    g.setColor(Color.GRAY);
    g.drawRect(x, top, SCALE_WIDTH, height);
    g.setColor(Color.BLACK);
    for (double v : new double[] {0, 0.5, 1}) {
      int ty = (int) Math.round(top + (1 - v) * (height - 1));
      g.drawLine(x + SCALE_WIDTH, ty, x + SCALE_WIDTH + 3, ty);
      g.drawString(String.format(Locale.ROOT, "%.1f", v), x + SCALE_WIDTH + 6, ty + metrics.getAscent() / 2 - 1);
    }
  }
}
