package dev.seq2seq.examples.plot;

import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import javax.imageio.ImageIO;

/** What the plots share: font metrics without a screen, and writing a PNG whole or not at all. */
final class Plots {
  static {
    System.setProperty("java.awt.headless", "true");
  }

  private Plots() {}

  /** The metrics of {@code font} (measured on an off-screen image). */
  static FontMetrics metrics(Font font) {
    Graphics2D g = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
    try {
      return g.getFontMetrics(font);
    } finally {
      g.dispose();
    }
  }

  /** Writes {@code image} as a PNG: to a temporary file next to {@code png}, then renamed over it. */
  static void writePng(Path png, BufferedImage image) {
    try {
      Path parent = png.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      Path temp = Files.createTempFile(parent, png.getFileName().toString(), ".tmp");
      try {
        if (!ImageIO.write(image, "png", temp.toFile())) {
          throw new IOException("no PNG writer");
        }
        Files.move(temp, png, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the plot " + png + ": " + e.getMessage(), e);
    }
  }
}
