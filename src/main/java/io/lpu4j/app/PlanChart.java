package io.lpu4j.app;

import io.lpu4j.engine.plan.Plan;
import io.lpu4j.engine.plan.ShardPlan;
import io.lpu4j.engine.plan.TensorPlacement;
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
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.StackedBarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.CategoryDataset;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.svg.SVGGraphics2D;
import org.jfree.svg.SVGUtils;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Rectangle;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code lpu plan --plot}: the shards drawn as chips. Each shard is one bar as long as the budget,
 * filled from the left by what each stage (embedding, layer, head) puts there, in execution order,
 * and grey where it is free; its label gives its index and size.
 */
final class PlanChart {
    static final int WIDTH = 1100;
    /** Pixels across the bars, roughly: decides which segments are wide enough to name. */
    private static final int PLOT_WIDTH = 880;
    private static final String FREE = "free";
    private static final Color FREE_COLOR = new Color(0xE6E6E6);
    private static final Color EMBEDDING_COLOR = new Color(0xD1495B);
    private static final Color HEAD_COLOR = new Color(0xEDAE49);
    /** Layers run along this ramp (dark blue → teal → green), light enough for dark labels at its end. */
    private static final Color[] LAYER_RAMP = {new Color(0x30638E), new Color(0x2A9D8F), new Color(0x8AB17D)};
    private static final Font FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);

    private PlanChart() {
    }

    /** Writes the chart as PNG or SVG, as the file name says. */
    static void write(String model, Plan plan, Path file) throws IOException {
        JFreeChart chart = chart(model, plan);
        int height = height(plan.shards().size());
        if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".svg")) {
            SVGGraphics2D g2 = new SVGGraphics2D(WIDTH, height);
            chart.draw(g2, new Rectangle(0, 0, WIDTH, height));
            SVGUtils.writeToSVG(file.toFile(), g2.getSVGElement());
        } else {
            ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, height);
        }
    }

    /** Room for titles, axis and legend, plus one bar per shard: thinner bars when there are many. */
    static int height(int shards) {
        return 190 + shards * (shards <= 12 ? 40 : shards <= 40 ? 26 : 18);
    }

    /**
     * Segment labels must fit inside their bar's thickness, or JFreeChart leaves them out: smaller
     * type for thinner bars.
     */
    private static float labelPoints(int shards) {
        return shards <= 12 ? 11f : shards <= 40 ? 10f : 9f;
    }

    private static JFreeChart chart(String model, Plan plan) {
        long budget = plan.settings().shardBudgetBytes();
        // Megabytes, or kilobytes for the tiny budgets used to try the planner on toy models.
        boolean kilo = budget < 1_000_000;
        double unit = kilo ? 1e3 : 1e6;
        Map<Stage, Color> colors = colors(plan);
        DefaultCategoryDataset data = dataset(plan, colors, unit);
        StackedBarRenderer renderer = renderer(colors, plan.shards().size(), budget / unit);

        CategoryAxis shards = new CategoryAxis();
        shards.setTickLabelFont(FONT.deriveFont(plan.shards().size() > 40 ? 10f : 12f));
        shards.setCategoryMargin(plan.shards().size() > 40 ? 0.12 : 0.2);
        shards.setLowerMargin(0.01);
        shards.setUpperMargin(0.01);
        NumberAxis held = new NumberAxis((kilo ? "KB" : "MB") + " held of the " + Units.size(budget) + " budget per shard");
        held.setRange(0, budget / unit);
        held.setLabelFont(FONT);
        held.setTickLabelFont(FONT);

        CategoryPlot plot = new CategoryPlot(data, shards, held, renderer);
        plot.setOrientation(PlotOrientation.HORIZONTAL);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setOutlineVisible(false);
        plot.setRangeGridlinePaint(new Color(0xBBBBBB));
        plot.setFixedLegendItems(legend(colors, plan.config().tiedEmbeddings()));

        PlanTotals totals = PlanTotals.of(plan);
        JFreeChart chart = new JFreeChart(model + ": " + totals.shards() + " shards of at most "
                + Units.size(plan.settings().shardBudgetBytes()), new Font(Font.SANS_SERIF, Font.BOLD, 16), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        chart.setPadding(new RectangleInsets(6, 6, 6, 24));  // room for the last tick label
        chart.addSubtitle(new TextTitle(plan.settings().format().flag() + " weights · "
                + Units.size(totals.weightBytes()) + " in all · each bar is one shard (chip), filled in execution "
                + "order and coloured by layer; grey is free", FONT));
        LegendTitle legendTitle = chart.getLegend();
        legendTitle.setPosition(RectangleEdge.TOP);
        legendTitle.setItemFont(FONT);
        return chart;
    }

    /** Flat bars with white seams between segments, each segment named where it is wide enough. */
    private static StackedBarRenderer renderer(Map<Stage, Color> colors, int shards, double budget) {
        StackedBarRenderer renderer = new StackedBarRenderer();
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setDrawBarOutline(true);
        renderer.setDefaultOutlinePaint(Color.WHITE);
        renderer.setDefaultOutlineStroke(new BasicStroke(1f));
        // The dataset declares its series as the stages in order, then free.
        List<Color> seriesColors = new ArrayList<>(colors.values());
        seriesColors.add(FREE_COLOR);
        for (int series = 0; series < seriesColors.size(); series++) {
            Color color = seriesColors.get(series);
            renderer.setSeriesPaint(series, color);
            renderer.setSeriesItemLabelPaint(series, luminance(color) > 0.6 ? Color.BLACK : Color.WHITE);
        }
        float labelPoints = labelPoints(shards);
        renderer.setDefaultItemLabelGenerator(new SegmentLabels(budget, labelPoints));
        renderer.setDefaultItemLabelsVisible(true);
        renderer.setDefaultItemLabelFont(FONT.deriveFont(Font.BOLD, labelPoints));
        renderer.setDefaultPositiveItemLabelPosition(new ItemLabelPosition(ItemLabelAnchor.CENTER, TextAnchor.CENTER));
        return renderer;
    }

    /** Bytes / unit per stage per shard (rows: stages, then free; columns: shards). */
    private static DefaultCategoryDataset dataset(Plan plan, Map<Stage, Color> colors, double unit) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        // Declare every series first, in execution order, so the stacking order is the same in every bar.
        String firstShard = shardLabel(plan.shards().getFirst());
        for (Stage stage : colors.keySet()) {
            data.addValue(null, seriesKey(stage), firstShard);
        }
        data.addValue(null, FREE, firstShard);
        for (ShardPlan shard : plan.shards()) {
            String column = shardLabel(shard);
            Map<Stage, Long> bytes = new TreeMap<>();
            for (TensorPlacement p : shard.placements()) {
                bytes.merge(Stage.of(p), footprint(p), Long::sum);
            }
            bytes.forEach((stage, b) -> data.setValue(b / unit, seriesKey(stage), column));
            data.setValue((plan.settings().shardBudgetBytes() - shard.bytes()) / unit, FREE, column);
        }
        return data;
    }

    /** Bytes from this placement's offset to the next one's (data, scales, alignment): segments add up to the shard. */
    private static long footprint(TensorPlacement p) {
        return p.scalesOffset() - p.offset() + (p.scalesBytes() + 63) / 64 * 64;
    }

    private static String shardLabel(ShardPlan shard) {
        return "shard " + shard.index() + " · " + Units.size(shard.bytes());
    }

    private static String seriesKey(Stage stage) {
        return stage.kind() == Stage.Kind.LAYER ? "L" + stage.layer() : stage.label();
    }

    /** Embedding and head in their own colours; layers along the ramp, alternately lighter so neighbours differ. */
    private static Map<Stage, Color> colors(Plan plan) {
        Map<Stage, Color> colors = new TreeMap<>();
        int layers = plan.config().numLayers();
        for (ShardPlan shard : plan.shards()) {
            for (TensorPlacement p : shard.placements()) {
                Stage stage = Stage.of(p);
                colors.computeIfAbsent(stage, s -> switch (s.kind()) {
                    case EMBEDDING -> EMBEDDING_COLOR;
                    case HEAD -> HEAD_COLOR;
                    case LAYER -> {
                        Color c = ramp(layers == 1 ? 0 : (double) s.layer() / (layers - 1));
                        yield s.layer() % 2 == 0 ? c : blend(c, Color.WHITE, 0.22);
                    }
                });
            }
        }
        return colors;
    }

    private static LegendItemCollection legend(Map<Stage, Color> colors, boolean tied) {
        List<Stage> layers = colors.keySet().stream().filter(s -> s.kind() == Stage.Kind.LAYER).toList();
        LegendItemCollection items = new LegendItemCollection();
        items.add(new LegendItem("embedding", EMBEDDING_COLOR));
        if (!layers.isEmpty()) {
            List<Stage> shown = new ArrayList<>(List.of(layers.getFirst()));
            if (layers.size() > 2) {
                shown.add(layers.get(layers.size() / 2));
            }
            if (layers.size() > 1) {
                shown.add(layers.getLast());
            }
            shown.forEach(s -> items.add(new LegendItem("layer " + s.layer(), colors.get(s))));
        }
        items.add(new LegendItem(tied ? "final norm (lm_head is the embedding)" : "final norm + lm_head", HEAD_COLOR));
        items.add(new LegendItem("free", FREE_COLOR));
        return items;
    }

    private static Color ramp(double t) {
        double x = t * (LAYER_RAMP.length - 1);
        int i = Math.min((int) x, LAYER_RAMP.length - 2);
        return blend(LAYER_RAMP[i], LAYER_RAMP[i + 1], x - i);
    }

    private static Color blend(Color a, Color b, double t) {
        return new Color((int) Math.round(a.getRed() + (b.getRed() - a.getRed()) * t),
                (int) Math.round(a.getGreen() + (b.getGreen() - a.getGreen()) * t),
                (int) Math.round(a.getBlue() + (b.getBlue() - a.getBlue()) * t));
    }

    private static double luminance(Color c) {
        return (0.299 * c.getRed() + 0.587 * c.getGreen() + 0.114 * c.getBlue()) / 255;
    }

    /** Names a segment (L3, emb, head) only where the bar is wide enough for the name. */
    private static final class SegmentLabels extends StandardCategoryItemLabelGenerator {
        private final double budget;
        private final double charPixels;

        SegmentLabels(double budget, float points) {
            this.budget = budget;
            this.charPixels = 0.65 * points;
        }

        @Override
        public String generateLabel(CategoryDataset data, int row, int column) {
            String key = (String) data.getRowKey(row);
            Number held = data.getValue(row, column);
            if (key.equals(FREE) || held == null) {
                return null;
            }
            double pixels = held.doubleValue() / budget * PLOT_WIDTH;
            return pixels >= charPixels * key.length() + 8 ? key : null;
        }
    }
}
