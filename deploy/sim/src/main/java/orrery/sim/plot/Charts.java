package orrery.sim.plot;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import javax.imageio.ImageIO;
import orrery.sim.plot.Canvas.Anchor;
import orrery.sim.plot.Canvas.Rgb;

/**
 * The replay report's charts, each written twice from one drawing: {@code <name>.svg} (by hand)
 * and {@code <name>.png} (Java2D, headless, ImageIO). No plotting library: axes with round ticks,
 * step lines, histogram bars and a legend are all there is.
 */
public final class Charts {

    static final int WIDTH = 960;
    static final int HEIGHT = 440;
    private static final double LEFT = 72;
    private static final double RIGHT = 24;
    private static final double TOP = 44;
    private static final double BOTTOM = 56;
    private static final List<Rgb> PALETTE = List.of(new Rgb(31, 119, 180), new Rgb(255, 127, 14), new Rgb(44, 160, 44),
            new Rgb(214, 39, 40), new Rgb(148, 103, 189));

    private Charts() {
    }

    /**
     * A curve: {@code ys[i]} holds from {@code xs[i]} to {@code xs[i+1]} when drawn as steps.
     *
     * @param name its legend entry
     */
    public record Series(String name, double[] xs, double[] ys) {
        public Series {
            Objects.requireNonNull(name, "name");
            if (xs.length != ys.length) {
                throw new IllegalArgumentException("a series needs as many x as y values: " + xs.length + " and " + ys.length);
            }
        }
    }

    /** Curves over a common x axis; {@code steps}: each value holds until the next x (a step function). */
    public record Lines(String title, String xLabel, String yLabel, List<Series> series, boolean steps) {
    }

    /** Counts per bin; {@code edges} has one more entry than {@code counts}. */
    public record Histogram(String title, String xLabel, String yLabel, double[] edges, long[] counts) {
        public Histogram {
            if (edges.length != counts.length + 1) {
                throw new IllegalArgumentException("a histogram has one more edge than bins: " + edges.length + " and " + counts.length);
            }
        }
    }

    /** Writes {@code <name>.svg} and {@code <name>.png} into {@code dir}; returns both paths. */
    public static List<Path> write(Path dir, String name, Lines chart) throws IOException {
        SvgCanvas svg = new SvgCanvas(WIDTH, HEIGHT);
        PngCanvas png = new PngCanvas(WIDTH, HEIGHT);
        draw(svg, chart);
        draw(png, chart);
        return save(dir, name, chart.title(), svg, png);
    }

    public static List<Path> write(Path dir, String name, Histogram chart) throws IOException {
        SvgCanvas svg = new SvgCanvas(WIDTH, HEIGHT);
        PngCanvas png = new PngCanvas(WIDTH, HEIGHT);
        draw(svg, chart);
        draw(png, chart);
        return save(dir, name, chart.title(), svg, png);
    }

    private static List<Path> save(Path dir, String name, String title, SvgCanvas svg, PngCanvas png) throws IOException {
        Path svgFile = dir.resolve(name + ".svg");
        Path pngFile = dir.resolve(name + ".png");
        Files.writeString(svgFile, svg.document(title), StandardCharsets.UTF_8);
        if (!ImageIO.write(png.image(), "png", pngFile.toFile())) {
            throw new IOException("this JDK has no PNG writer for ImageIO");
        }
        return List.of(svgFile, pngFile);
    }

    // --- drawing ---------------------------------------------------------------------------------

    static void draw(Canvas c, Lines chart) {
        double xMin = Double.POSITIVE_INFINITY;
        double xMax = Double.NEGATIVE_INFINITY;
        double yMax = 0;
        for (Series s : chart.series()) {
            for (double x : s.xs()) {
                xMin = Math.min(xMin, x);
                xMax = Math.max(xMax, x);
            }
            for (double y : s.ys()) {
                yMax = Math.max(yMax, y);
            }
        }
        if (xMin == Double.POSITIVE_INFINITY) {
            xMin = 0;
            xMax = 1;
        }
        if (xMax <= xMin) {
            xMax = xMin + 1;
        }
        Frame f = frame(c, chart.title(), chart.xLabel(), chart.yLabel(), xMin, xMax, yMax, false);
        for (int i = 0; i < chart.series().size(); i++) {
            Series s = chart.series().get(i);
            int n = s.xs().length;
            if (n == 0) {
                continue;
            }
            int points = chart.steps() ? 2 * n - 1 : n;
            double[] px = new double[points];
            double[] py = new double[points];
            int k = 0;
            for (int j = 0; j < n; j++) {
                if (chart.steps() && j > 0) {
                    px[k] = f.x(s.xs()[j]);
                    py[k] = f.y(s.ys()[j - 1]);
                    k++;
                }
                px[k] = f.x(s.xs()[j]);
                py[k] = f.y(s.ys()[j]);
                k++;
            }
            c.polyline(px, py, PALETTE.get(i % PALETTE.size()), 1.6);
        }
        legend(c, chart.series().stream().map(Series::name).toList());
    }

    static void draw(Canvas c, Histogram chart) {
        double[] e = chart.edges();
        long max = 0;
        for (long n : chart.counts()) {
            max = Math.max(max, n);
        }
        double xMin = e.length == 0 ? 0 : e[0];
        double xMax = e.length == 0 ? 1 : Math.max(e[e.length - 1], xMin + 1);
        Frame f = frame(c, chart.title(), chart.xLabel(), chart.yLabel(), xMin, xMax, max, true);
        for (int i = 0; i < chart.counts().length; i++) {
            double x0 = f.x(e[i]);
            double x1 = f.x(e[i + 1]);
            double y = f.y(chart.counts()[i]);
            c.rect(x0 + 0.5, y, Math.max(0.5, x1 - x0 - 1), f.y(0) - y, PALETTE.get(0));
        }
    }

    /** The plotting area's mapping from data to pixels. */
    private record Frame(double xMin, double xMax, double yMax) {
        double x(double value) {
            return LEFT + (value - xMin) / (xMax - xMin) * (WIDTH - LEFT - RIGHT);
        }

        double y(double value) {
            return HEIGHT - BOTTOM - value / yMax * (HEIGHT - TOP - BOTTOM);
        }
    }

    private static Frame frame(Canvas c, String title, String xLabel, String yLabel, double xMin, double xMax, double yMax,
                               boolean counts) {
        double yStep = niceStep(yMax <= 0 ? 1 : yMax, 6);
        if (counts && yStep < 1) {
            yStep = 1; // whole numbers of things
        }
        double yTop = Math.max(yStep, Math.ceil((yMax <= 0 ? 1 : yMax) / yStep) * yStep);
        Frame f = new Frame(xMin, xMax, yTop);
        c.text(WIDTH / 2.0, 26, title, 16, Anchor.MIDDLE, Canvas.BLACK, false);
        for (double y = 0; y <= yTop + yStep / 2; y += yStep) {
            c.line(LEFT, f.y(y), WIDTH - RIGHT, f.y(y), Canvas.LIGHT, 1);
            c.text(LEFT - 6, f.y(y) + 4, label(y), 11, Anchor.END, Canvas.BLACK, false);
        }
        double xStep = niceStep(xMax - xMin, 10);
        for (double x = Math.ceil(xMin / xStep) * xStep; x <= xMax + xStep / 1000; x += xStep) {
            c.line(f.x(x), HEIGHT - BOTTOM, f.x(x), HEIGHT - BOTTOM + 4, Canvas.BLACK, 1);
            c.text(f.x(x), HEIGHT - BOTTOM + 17, label(x), 11, Anchor.MIDDLE, Canvas.BLACK, false);
        }
        c.line(LEFT, HEIGHT - BOTTOM, WIDTH - RIGHT, HEIGHT - BOTTOM, Canvas.BLACK, 1);
        c.line(LEFT, TOP, LEFT, HEIGHT - BOTTOM, Canvas.BLACK, 1);
        c.text((LEFT + WIDTH - RIGHT) / 2, HEIGHT - 14, xLabel, 12, Anchor.MIDDLE, Canvas.BLACK, false);
        c.text(20, (TOP + HEIGHT - BOTTOM) / 2, yLabel, 12, Anchor.MIDDLE, Canvas.BLACK, true);
        return f;
    }

    private static void legend(Canvas c, List<String> names) {
        double x = WIDTH - RIGHT - 190;
        double y = TOP + 8;
        c.rect(x - 8, y - 12, 190, names.size() * 18 + 8, Canvas.WHITE);
        for (int i = 0; i < names.size(); i++) {
            c.line(x, y + i * 18, x + 22, y + i * 18, PALETTE.get(i % PALETTE.size()), 3);
            c.text(x + 28, y + i * 18 + 4, names.get(i), 12, Anchor.START, Canvas.BLACK, false);
        }
    }

    /** A round step (1, 2 or 5 × 10^k) that cuts {@code span} into about {@code parts}: for histogram bins. */
    public static double roundStep(double span, int parts) {
        return niceStep(span, parts);
    }

    /** A round step (1, 2 or 5 × 10^k) that cuts {@code span} into about {@code parts}. */
    static double niceStep(double span, int parts) {
        double raw = span / parts;
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        double[] steps = {1, 2, 5, 10};
        for (double s : steps) {
            if (raw <= s * magnitude) {
                return s * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static String label(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
                : String.format(Locale.ROOT, "%.2g", value);
    }
}
