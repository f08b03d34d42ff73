package dev.seq2seq.examples.plot;

import java.awt.Font;
import java.awt.GraphicsEnvironment;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Chooses a font that can display every label of a plot.
 *
 * <p>The logical {@code SansSerif} font is used when it displays every label; otherwise the first
 * installed family that displays them all, trying CJK-capable families first (Noto Sans CJK,
 * WenQuanYi, Droid Sans Fallback, ...). When no installed font can, {@code SansSerif} is used and the
 * missing glyphs show as boxes (install e.g. Debian's {@code fonts-noto-cjk}).
 */
public final class LabelFonts {
  /** Families tried first, in order, when SansSerif cannot display a label. */
  static final List<String> PREFERRED = List.of("Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Sans SC",
      "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "Droid Sans Fallback", "AR PL UMing CN", "Source Han Sans SC");

  private LabelFonts() {}

  /** A plain font of {@code size} points that displays every one of {@code labels}, if one is installed. */
  public static Font forLabels(Collection<String> labels, int size) {
    List<String> candidates = new ArrayList<>();
    candidates.add(Font.SANS_SERIF);
    candidates.addAll(PREFERRED);
    candidates.addAll(List.of(GraphicsEnvironment.getLocalGraphicsEnvironment().getAvailableFontFamilyNames()));
    return choose(candidates, labels, size);
  }

  /** The first of {@code families} whose font displays every label, else SansSerif. */
  static Font choose(List<String> families, Collection<String> labels, int size) {
    for (String family : families) {
      Font font = new Font(family, Font.PLAIN, size);
      boolean installed = family.equals(Font.SANS_SERIF) || font.getFamily().equalsIgnoreCase(family);
      if (installed && displaysAll(font, labels)) {
        return font;
      }
    }
    return new Font(Font.SANS_SERIF, Font.PLAIN, size);
  }

  /** Whether {@code font} has a glyph for every character of every label. */
  static boolean displaysAll(Font font, Collection<String> labels) {
    for (String label : labels) {
      if (font.canDisplayUpTo(label) != -1) {
        return false;
      }
    }
    return true;
  }
}
