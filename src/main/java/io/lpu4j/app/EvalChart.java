package io.lpu4j.app;

import io.lpu4j.engine.eval.Runner;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.labels.ItemLabelAnchor;
import org.jfree.chart.labels.ItemLabelPosition;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.CombinedDomainCategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.AbstractCategoryItemRenderer;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.LineAndShapeRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.CategoryDataset;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.svg.SVGGraphics2D;
import org.jfree.svg.SVGUtils;

import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.awt.Rectangle;
import java.awt.geom.Ellipse2D;
import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report as a chart: one panel per charted metric, side by side, the formats down the left,
 * each value printed beside its bar. Metrics that start at 0 (KL, SQNR, 1 − cosine) are bars;
 * those near 1 (top-1 agreement) are dots on a zoomed axis, since bars from 0 would all look full.
 * Colours tell the runners apart. PNG or SVG by the file's extension.
 */
final class EvalChart {
    private static final Map<Runner, Color> COLORS = new EnumMap<>(Map.of(
            Runner.REFERENCE, new Color(0x33, 0x66, 0x99),
            Runner.EXECUTOR, new Color(0xDD, 0x88, 0x22),
            Runner.ONNXRUNTIME, new Color(0x77, 0x77, 0x77)));
    private static final Map<Runner, String> LEGEND = Map.of(
            Runner.REFERENCE, "lpu4j FP32 reference, weights in the format",
            Runner.EXECUTOR, "lpu4j static executor (FP16 activations)",
            Runner.ONNXRUNTIME, "onnxruntime (its own models)");
    private static final int WIDTH = 1500;

    private EvalChart() {
    }

    /** Writes the chart to {@code file}: .png or .svg. */
    static void write(EvalView view, Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        System.setProperty("java.awt.headless", "true");
        JFreeChart chart = chart(view);
        int height = 170 + 34 * view.lines().size();
        try {
            if (name.endsWith(".png")) {
                ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, height);
            } else {
                SVGGraphics2D svg = new SVGGraphics2D(WIDTH, height);
                chart.draw(svg, new Rectangle(WIDTH, height));
                SVGUtils.writeToSVG(file.toFile(), svg.getSVGElement());
            }
        } catch (IOException e) {
            throw new UserError("--plot: cannot write " + file + ": " + e.getMessage());
        }
    }

    /** Whether {@link #write} can write this kind of file. */
    static boolean supports(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".png") || name.endsWith(".svg");
    }

    private static JFreeChart chart(EvalView view) {
        CategoryAxis formats = new CategoryAxis();
        formats.setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        formats.setCategoryMargin(0.25);
        CombinedDomainCategoryPlot plot = new CombinedDomainCategoryPlot(formats);
        plot.setOrientation(PlotOrientation.HORIZONTAL);
        plot.setGap(24);
        for (EvalView.Column column : view.charted()) {
            plot.add(panel(view, column), 1);
        }
        LegendItemCollection legend = new LegendItemCollection();
        view.lines().stream().map(EvalView.Line::runner).distinct()
                .forEach(r -> legend.add(new LegendItem(LEGEND.get(r), COLORS.get(r))));
        plot.setFixedLegendItems(legend);

        JFreeChart chart = new JFreeChart("lpu eval: " + view.title(), new Font(Font.SANS_SERIF, Font.BOLD, 18), plot, true);
        chart.addSubtitle(new TextTitle(subtitle(view), new Font(Font.SANS_SERIF, Font.PLAIN, 13)));
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    private static CategoryPlot panel(EvalView view, EvalView.Column column) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (EvalView.Line line : view.lines()) {
            data.addValue(view.value(line, column), column.heading(), line.label());
        }
        List<Runner> runners = view.lines().stream().map(EvalView.Line::runner).toList();
        AbstractCategoryItemRenderer renderer;
        if (column.fromZero()) {
            BarRenderer bars = new BarRenderer() {
                @Override
                public Paint getItemPaint(int row, int item) {
                    return COLORS.get(runners.get(item));
                }
            };
            bars.setBarPainter(new StandardBarPainter());
            bars.setShadowVisible(false);
            bars.setMaximumBarWidth(0.08);
            renderer = bars;
        } else {
            LineAndShapeRenderer dots = new LineAndShapeRenderer(false, true) {
                @Override
                public Paint getItemPaint(int row, int item) {
                    return COLORS.get(runners.get(item));
                }
            };
            dots.setSeriesShape(0, new Ellipse2D.Double(-5, -5, 10, 10));
            renderer = dots;
        }
        renderer.setDefaultItemLabelGenerator(new ValueLabels(column.pattern()));
        renderer.setDefaultItemLabelsVisible(true);
        renderer.setDefaultItemLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        NumberAxis axis = new NumberAxis(column.heading());
        axis.setLabelFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        axis.setAutoRangeIncludesZero(column.fromZero());
        // Room for the value labels: right of a bar; left of a dot, so an axis of fractions ends near 1.
        if (column.fromZero()) {
            renderer.setDefaultPositiveItemLabelPosition(
                    new ItemLabelPosition(ItemLabelAnchor.OUTSIDE3, TextAnchor.CENTER_LEFT));
            axis.setUpperMargin(0.4);
        } else {
            renderer.setDefaultPositiveItemLabelPosition(
                    new ItemLabelPosition(ItemLabelAnchor.OUTSIDE9, TextAnchor.CENTER_RIGHT));
            axis.setLowerMargin(0.4);
            axis.setUpperMargin(0.03);
        }
        CategoryPlot panel = new CategoryPlot(data, null, axis, renderer);
        panel.setBackgroundPaint(new Color(0xF4, 0xF4, 0xF4));
        panel.setRangeGridlinePaint(Color.GRAY);
        return panel;
    }

    private static String subtitle(EvalView view) {
        StringBuilder s = new StringBuilder("Weight-only quantization of every linear layer, run by the FP32 reference "
                + "(F32 activations); compared with F32");
        if (view.lines().stream().anyMatch(l -> l.runner() == Runner.EXECUTOR)) {
            s.append("; executor rows: the static executor as it runs (FP16 activations)");
        }
        if (view.lines().stream().anyMatch(l -> l.runner() == Runner.ONNXRUNTIME)) {
            s.append("; onnxruntime rows: its own F32 and INT8 models");
        }
        return s.toString();
    }

    /** Each value printed with its column's pattern. */
    private static final class ValueLabels extends StandardCategoryItemLabelGenerator {
        private final String pattern;

        ValueLabels(String pattern) {
            this.pattern = pattern;
        }

        @Override
        public String generateLabel(CategoryDataset dataset, int row, int column) {
            Number value = dataset.getValue(row, column);
            return value == null ? null : String.format(Locale.ROOT, pattern, value.doubleValue());
        }
    }
}
