package io.lpu4j.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The report as a Markdown document (for people) or CSV (for spreadsheets: full precision, empty where n/a). */
final class EvalTable {
    private EvalTable() {
    }

    static String markdown(EvalView view) {
        StringBuilder out = new StringBuilder();
        out.append("## lpu eval: ").append(view.title()).append("\n\n");
        out.append("Method: ").append(view.method()).append("\n\n");
        for (String note : view.notes()) {
            out.append(note).append("\n\n");
        }
        List<String> heading = new ArrayList<>(List.of("format"));
        view.columns().forEach(c -> heading.add(c.heading()));
        out.append(row(heading));
        out.append("|---").append("|---:".repeat(view.columns().size())).append("|\n");
        for (EvalView.Line line : view.lines()) {
            List<String> cells = new ArrayList<>(List.of(line.label()));
            for (EvalView.Column column : view.columns()) {
                cells.add(column.format(view.value(line, column)));
            }
            out.append(row(cells));
        }
        return out.toString();
    }

    static String csv(EvalView view) {
        StringBuilder out = new StringBuilder("format,runner");
        view.columns().forEach(c -> out.append(',').append(c.key()));
        out.append('\n');
        for (EvalView.Line line : view.lines()) {
            out.append(quoted(line.format())).append(',').append(line.runner().name().toLowerCase(Locale.ROOT));
            for (EvalView.Column column : view.columns()) {
                Double value = view.value(line, column);
                out.append(',').append(value == null ? "" : value.toString());
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static String row(List<String> cells) {
        return "| " + String.join(" | ", cells.stream().map(c -> c.replace("|", "\\|")).toList()) + " |\n";
    }

    /** RFC 4180: a field with a comma or quote is quoted, its quotes doubled. */
    private static String quoted(String field) {
        return field.contains(",") || field.contains("\"") ? "\"" + field.replace("\"", "\"\"") + "\"" : field;
    }
}
