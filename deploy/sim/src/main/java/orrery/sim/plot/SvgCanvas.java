package orrery.sim.plot;

import java.util.Locale;

/** SVG 1.1, written by hand: a white background, then every shape in the order drawn. */
final class SvgCanvas implements Canvas {

    private final StringBuilder svg = new StringBuilder();
    private final int width;
    private final int height;

    SvgCanvas(int width, int height) {
        this.width = width;
        this.height = height;
        rect(0, 0, width, height, WHITE);
    }

    @Override
    public void rect(double x, double y, double w, double h, Rgb fill) {
        svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>%n", x, y,
                Math.max(0, w), Math.max(0, h), fill.hex()));
    }

    @Override
    public void line(double x1, double y1, double x2, double y2, Rgb colour, double w) {
        svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"%.1f\"/>%n",
                x1, y1, x2, y2, colour.hex(), w));
    }

    @Override
    public void polyline(double[] xs, double[] ys, Rgb colour, double w) {
        if (xs.length == 0) {
            return;
        }
        svg.append("<polyline fill=\"none\" stroke=\"").append(colour.hex()).append("\" stroke-width=\"")
                .append(String.format(Locale.ROOT, "%.1f", w)).append("\" points=\"");
        for (int i = 0; i < xs.length; i++) {
            svg.append(String.format(Locale.ROOT, "%s%.1f,%.1f", i == 0 ? "" : " ", xs[i], ys[i]));
        }
        svg.append("\"/>\n");
    }

    @Override
    public void text(double x, double y, String text, int size, Anchor anchor, Rgb colour, boolean vertical) {
        String a = switch (anchor) {
            case START -> "start";
            case MIDDLE -> "middle";
            case END -> "end";
        };
        svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-family=\"sans-serif\" font-size=\"%d\" text-anchor=\"%s\" fill=\"%s\"%s>",
                x, y, size, a, colour.hex(), vertical ? String.format(Locale.ROOT, " transform=\"rotate(-90 %.1f %.1f)\"", x, y) : ""));
        svg.append(escape(text)).append("</text>\n");
    }

    String document(String title) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"" + width + "\" height=\"" + height
                + "\" viewBox=\"0 0 " + width + " " + height + "\">\n<title>" + escape(title) + "</title>\n" + svg + "</svg>\n";
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                default -> {
                    if (c >= 0x20 || c == '\t') {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
