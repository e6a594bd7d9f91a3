package orrery.sim.plot;

/**
 * What a chart is drawn on: a drawing in pixels, origin top left. {@link SvgCanvas} writes SVG
 * by hand; {@link PngCanvas} paints with Java2D (headless) for ImageIO. One drawing, two files.
 */
interface Canvas {

    /** Where a text's anchor point is: its start, middle or end. */
    enum Anchor { START, MIDDLE, END }

    /** An sRGB colour. */
    record Rgb(int r, int g, int b) {
        String hex() {
            return String.format("#%02x%02x%02x", r, g, b);
        }
    }

    Rgb BLACK = new Rgb(0, 0, 0);
    Rgb GREY = new Rgb(150, 150, 150);
    Rgb LIGHT = new Rgb(225, 225, 225);
    Rgb WHITE = new Rgb(255, 255, 255);

    void rect(double x, double y, double width, double height, Rgb fill);

    void line(double x1, double y1, double x2, double y2, Rgb colour, double width);

    void polyline(double[] xs, double[] ys, Rgb colour, double width);

    /** Text with its baseline at y; {@code vertical} turns it a quarter left (a y-axis label). */
    void text(double x, double y, String text, int size, Anchor anchor, Rgb colour, boolean vertical);
}
