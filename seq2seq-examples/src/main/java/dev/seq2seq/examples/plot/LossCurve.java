package dev.seq2seq.examples.plot;

import dev.seq2seq.models.training.TrainingSummary;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The loss curve of a training run as a PNG: the training loss of every step (faint grey), its
 * exponential moving average {@code s_t = 0.95 s_(t-1) + 0.05 loss_t} (blue), and the validations on
 * the same step axis — the validation loss (red points, left axis) when the validator reports
 * {@code loss}, and otherwise the {@code exact_match} or {@code token_accuracy} it reports (red
 * points on a right axis from 0 to 1).
 */
public final class LossCurve {
  static final int WIDTH = 800;
  static final int HEIGHT = 480;
  private static final int LEFT = 70;
  private static final int RIGHT = 70;
  private static final int TOP = 40;
  private static final int BOTTOM = 50;
  private static final Color RAW = new Color(190, 190, 190);
  private static final Color SMOOTH = new Color(31, 119, 180);
  private static final Color VALIDATION = new Color(214, 39, 40);

  private LossCurve() {}

  /** Writes the curve of {@code summary} to {@code png} (parent directories are created). */
  public static void write(Path png, String title, TrainingSummary summary) {
    Plots.writePng(png, draw(title, summary.trainLosses(), summary.validations()));
  }

  /** Draws the curve. */
  static BufferedImage draw(String title, List<Double> losses, List<Map.Entry<Long, Map<String, Double>>> validations) {
    if (losses.isEmpty()) {
      throw new IllegalArgumentException("loss curve: no training steps to plot");
    }
    String metric = validationMetric(validations);
    boolean metricOnLossAxis = "loss".equals(metric);
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (double l : losses) {
      if (Double.isFinite(l)) {
        lo = Math.min(lo, l);
        hi = Math.max(hi, l);
      }
    }
    if (metricOnLossAxis) {
      for (Map.Entry<Long, Map<String, Double>> v : validations) {
        lo = Math.min(lo, v.getValue().get(metric));
        hi = Math.max(hi, v.getValue().get(metric));
      }
    }
    lo = Math.min(0, lo);
    hi = hi > lo ? hi : lo + 1;
    long steps = Math.max(2, losses.size());

    BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, WIDTH, HEIGHT);
    Font font = LabelFonts.forLabels(List.of(title), 13);
    FontMetrics fm = Plots.metrics(font);
    g.setFont(font);
    int plotW = WIDTH - LEFT - RIGHT;
    int plotH = HEIGHT - TOP - BOTTOM;
    final double yLo = lo;
    final double yHi = hi;
    Axis x = v -> LEFT + (v - 1) / (steps - 1) * plotW;
    Axis y = v -> TOP + (1 - (v - yLo) / (yHi - yLo)) * plotH;
    Axis yRight = v -> TOP + (1 - v) * plotH;

    g.setColor(Color.BLACK);
    g.drawString(title, LEFT, TOP - 14);
    g.drawRect(LEFT, TOP, plotW, plotH);
    for (int i = 0; i <= 5; i++) {
      double sv = 1 + (steps - 1) * i / 5.0;
      int px = (int) x.at(sv);
      g.drawLine(px, TOP + plotH, px, TOP + plotH + 4);
      String label = String.format(Locale.ROOT, "%,d", Math.round(sv));
      g.drawString(label, px - fm.stringWidth(label) / 2, TOP + plotH + 6 + fm.getAscent());
      double lv = lo + (hi - lo) * i / 5.0;
      int py = (int) y.at(lv);
      g.drawLine(LEFT - 4, py, LEFT, py);
      String ll = String.format(Locale.ROOT, "%.2f", lv);
      g.drawString(ll, LEFT - 6 - fm.stringWidth(ll), py + fm.getAscent() / 2 - 1);
    }
    g.drawString("step", LEFT + plotW / 2 - fm.stringWidth("step") / 2, HEIGHT - 10);
    g.drawString("loss", 8, TOP - 14 + fm.getHeight() * 0);

    g.setStroke(new BasicStroke(1f));
    g.setColor(RAW);
    g.draw(line(losses, x, y, false));
    g.setStroke(new BasicStroke(2f));
    g.setColor(SMOOTH);
    g.draw(line(losses, x, y, true));

    if (metric != null) {
      g.setColor(VALIDATION);
      Axis vy = metricOnLossAxis ? y : yRight;
      for (Map.Entry<Long, Map<String, Double>> v : validations) {
        int px = (int) x.at(v.getKey());
        int py = (int) vy.at(v.getValue().get(metric));
        g.fillOval(px - 4, py - 4, 8, 8);
      }
      if (!metricOnLossAxis) {
        g.setColor(Color.BLACK);
        for (int i = 0; i <= 5; i++) {
          int py = (int) yRight.at(i / 5.0);
          g.drawLine(LEFT + plotW, py, LEFT + plotW + 4, py);
          g.drawString(String.format(Locale.ROOT, "%.1f", i / 5.0), LEFT + plotW + 7, py + fm.getAscent() / 2 - 1);
        }
      }
    }
    legend(g, fm, metric == null ? null : "validation " + metric + (metricOnLossAxis ? "" : " (right axis)"));
    g.dispose();
    return image;
  }

  /** The validation figure to plot: {@code loss}, else {@code exact_match}, else {@code token_accuracy}, else none. */
  static String validationMetric(List<Map.Entry<Long, Map<String, Double>>> validations) {
    for (String name : List.of("loss", "exact_match", "token_accuracy")) {
      if (!validations.isEmpty() && validations.stream().allMatch(v -> v.getValue().containsKey(name))) {
        return name;
      }
    }
    return null;
  }

  private static Path2D line(List<Double> losses, Axis x, Axis y, boolean smoothed) {
    Path2D path = new Path2D.Double();
    double s = Double.NaN;
    boolean started = false;
    for (int i = 0; i < losses.size(); i++) {
      double l = losses.get(i);
      if (!Double.isFinite(l)) {
        continue;
      }
      s = Double.isNaN(s) ? l : 0.95 * s + 0.05 * l;
      double v = smoothed ? s : l;
      if (started) {
        path.lineTo(x.at(i + 1), y.at(v));
      } else {
        path.moveTo(x.at(i + 1), y.at(v));
        started = true;
      }
    }
    return path;
  }

  private static void legend(Graphics2D g, FontMetrics fm, String validation) {
    int lx = WIDTH - RIGHT - 260;
    int ly = TOP + 16;
    Object[][] entries = {{RAW, "training loss"}, {SMOOTH, "moving average"}, {VALIDATION, validation}};
    for (Object[] e : entries) {
      if (e[1] == null) {
        continue;
      }
      g.setColor((Color) e[0]);
      g.fillRect(lx, ly - fm.getAscent() / 2 - 2, 18, 4);
      g.setColor(Color.BLACK);
      g.drawString((String) e[1], lx + 24, ly);
      ly += fm.getHeight() + 2;
    }
  }

  /** A data-to-pixel mapping of one axis. */
  @FunctionalInterface
  private interface Axis {
    double at(double value);
  }
}
