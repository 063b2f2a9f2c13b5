package dev.backgroundtasks.benchmarks;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The soak's time series as an SVG drawn by hand (no chart library): four line charts on one time axis —
 * throughput, pickup, {@code bgt_execution}'s size and the heap — each with the ±10 % band around its
 * target figure's baseline from the end of the warm-up, and a dashed line where the warm-up ends. A chart's
 * vertical scale is set by the values after the warm-up; earlier ones above it are clipped at the top.
 */
final class SoakChart {

	private static final int WIDTH = 900;

	private static final int PANEL = 170;

	private static final int LEFT = 70;

	private static final int RIGHT = 150;

	private static final int TOP = 48;

	private static final int GAP = 40;

	private final SoakReport report;

	private final double end;

	SoakChart(SoakReport report) {
		this.report = report;
		List<Map<String, Double>> samples = report.samples();
		this.end = samples.get(samples.size() - 1).get("seconds");
	}

	String svg() {
		List<Panel> panels = List.of(
				new Panel("tasks per second", "completed_per_s",
						List.of(new Line("completed_per_s", "run", "#1f77b4"), new Line("submitted_per_s", "submitted", "#999999"))),
				new Panel("pickup (ms)", "pickup_p99_ms",
						List.of(new Line("pickup_p99_ms", "p99", "#d62728"), new Line("pickup_p50_ms", "p50", "#ff7f0e"))),
				new Panel("bgt_execution (MB)", "execution_total_mb",
						List.of(new Line("execution_total_mb", "table + indexes", "#9467bd"),
								new Line("execution_indexes_mb", "indexes", "#17becf"))),
				new Panel("heap after full GC (MB)", "heap_mb", List.of(new Line("heap_mb", "heap", "#2ca02c"))));
		int height = TOP + panels.size() * (PANEL + GAP) + 10;
		StringBuilder svg = new StringBuilder();
		svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
				+ " font-family=\"sans-serif\" font-size=\"11\">%n<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>%n"
				+ "<text x=\"%d\" y=\"18\" font-size=\"13\">Soak: 10 s windows; shaded: baseline ±10 %%; dashed: end of"
				+ " the warm-up</text>%n", WIDTH, height, LEFT));
		for (int i = 0; i < panels.size(); i++) {
			panel(svg, panels.get(i), TOP + i * (PANEL + GAP), i == panels.size() - 1);
		}
		return svg.append("</svg>\n").toString();
	}

	private void panel(StringBuilder svg, Panel panel, int top, boolean axisLabel) {
		double max = 0;
		for (Line line : panel.lines()) {
			for (Map<String, Double> sample : this.report.samples()) {
				double value = sample.get(line.column());
				if (!Double.isNaN(value) && sample.get("seconds") > this.report.warmup()) {
					max = Math.max(max, value);
				}
			}
		}
		double baseline = this.report.baseline(panel.target());
		max = Math.max(max, Double.isNaN(baseline) ? 0 : baseline * 1.1) * 1.15;
		max = (max > 0) ? max : 1;
		int plotWidth = WIDTH - LEFT - RIGHT;
		svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-weight=\"bold\">%s</text>%n", LEFT, top - 5,
				panel.title()));
		svg.append(String.format(Locale.ROOT,
				"<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#cccccc\"/>%n", LEFT, top,
				plotWidth, PANEL));
		if (!Double.isNaN(baseline)) {
			double high = y(baseline * 1.1, max, top);
			double low = y(baseline * 0.9, max, top);
			svg.append(String.format(Locale.ROOT,
					"<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#000000\" fill-opacity=\"0.08\"/>%n",
					x(this.report.warmup()), high, LEFT + plotWidth - x(this.report.warmup()), low - high));
		}
		svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#666666\""
				+ " stroke-dasharray=\"4,3\"/>%n", x(this.report.warmup()), top, x(this.report.warmup()), top + PANEL));
		for (int tick = 0; tick <= 4; tick++) {
			double value = max * tick / 4;
			svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", LEFT - 5,
					y(value, max, top) + 4, SoakReport.format(value)));
		}
		double minuteStep = Math.max(1, Math.ceil(this.end / 60 / 10));
		for (double minute = 0; minute * 60 <= this.end; minute += minuteStep) {
			svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%.0f</text>%n",
					x(minute * 60), top + PANEL + 13, minute));
		}
		if (axisLabel) {
			svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">minutes</text>%n",
					LEFT + plotWidth / 2, top + PANEL + 27));
		}
		int legend = top + 12;
		for (Line line : panel.lines()) {
			StringBuilder points = new StringBuilder();
			for (Map<String, Double> sample : this.report.samples()) {
				double value = sample.get(line.column());
				if (!Double.isNaN(value)) {
					points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x(sample.get("seconds")),
							Math.max(top, y(value, max, top))));
				}
			}
			svg.append(String.format(Locale.ROOT,
					"<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\"/>%n", points.toString().trim(),
					line.color()));
			svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"%s\">%s</text>%n", LEFT + plotWidth + 8,
					legend, line.color(), line.label()));
			legend += 15;
		}
	}

	private double x(double seconds) {
		return LEFT + seconds / this.end * (WIDTH - LEFT - RIGHT);
	}

	private static double y(double value, double max, int top) {
		return top + PANEL - value / max * PANEL;
	}

	private record Panel(String title, String target, List<Line> lines) {

	}

	private record Line(String column, String label, String color) {

	}

}
