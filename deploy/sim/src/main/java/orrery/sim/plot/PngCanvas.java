package orrery.sim.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;

/**
 * Java2D on an image, headless ({@code java.awt.headless=true} is set before the first use): no
 * display needed. Where the JDK has no fonts at all, text is left out rather than failing the report.
 */
final class PngCanvas implements Canvas {

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private final BufferedImage image;
    private final Graphics2D g;
    private boolean noFonts;

    PngCanvas(int width, int height) {
        image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        rect(0, 0, width, height, WHITE);
    }

    private static Color awt(Rgb c) {
        return new Color(c.r(), c.g(), c.b());
    }

    @Override
    public void rect(double x, double y, double w, double h, Rgb fill) {
        g.setColor(awt(fill));
        g.fill(new Rectangle2D.Double(x, y, Math.max(0, w), Math.max(0, h)));
    }

    @Override
    public void line(double x1, double y1, double x2, double y2, Rgb colour, double width) {
        g.setColor(awt(colour));
        g.setStroke(new BasicStroke((float) width));
        g.draw(new Line2D.Double(x1, y1, x2, y2));
    }

    @Override
    public void polyline(double[] xs, double[] ys, Rgb colour, double width) {
        if (xs.length == 0) {
            return;
        }
        Path2D.Double path = new Path2D.Double();
        path.moveTo(xs[0], ys[0]);
        for (int i = 1; i < xs.length; i++) {
            path.lineTo(xs[i], ys[i]);
        }
        g.setColor(awt(colour));
        g.setStroke(new BasicStroke((float) width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER));
        g.draw(path);
    }

    @Override
    public void text(double x, double y, String text, int size, Anchor anchor, Rgb colour, boolean vertical) {
        if (noFonts) {
            return;
        }
        try {
            g.setColor(awt(colour));
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, size));
            double width = g.getFontMetrics().stringWidth(text);
            double shift = switch (anchor) {
                case START -> 0;
                case MIDDLE -> -width / 2;
                case END -> -width;
            };
            AffineTransform saved = g.getTransform();
            g.translate(x, y);
            if (vertical) {
                g.rotate(-Math.PI / 2);
            }
            g.drawString(text, (float) shift, 0f);
            g.setTransform(saved);
        } catch (RuntimeException | LinkageError | InternalError noFont) {
            noFonts = true; // e.g. a JDK without fontconfig's fonts: the plot stays readable by its shapes
        }
    }

    BufferedImage image() {
        g.dispose();
        return image;
    }
}
