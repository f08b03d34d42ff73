/**
 * PNG plots of a training run, drawn with Java2D and written with ImageIO (headless, no extra
 * dependency): {@link dev.seq2seq.examples.plot.LossCurve} (training loss per step and the validation
 * metrics) and {@link dev.seq2seq.examples.plot.AttentionHeatmap} (where each output token looked in
 * the source). Labels use a font that can display them, CJK included when such a font is installed
 * ({@link dev.seq2seq.examples.plot.LabelFonts}).
 */
package dev.seq2seq.examples.plot;
