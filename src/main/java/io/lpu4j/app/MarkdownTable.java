package io.lpu4j.app;

import java.util.ArrayList;
import java.util.List;

/**
 * A pipe table padded to aligned columns: it reads as a table in a terminal and renders as one when
 * pasted into Markdown.
 */
final class MarkdownTable {
    private final List<String> headers;
    private final List<Boolean> rightAligned;
    private final List<List<String>> rows = new ArrayList<>();

    /** Headers ending in {@code >} are right-aligned (numbers); the marker is not printed. */
    MarkdownTable(String... headers) {
        this.headers = new ArrayList<>();
        this.rightAligned = new ArrayList<>();
        for (String h : headers) {
            boolean right = h.endsWith(">");
            this.headers.add(right ? h.substring(0, h.length() - 1) : h);
            this.rightAligned.add(right);
        }
    }

    MarkdownTable row(String... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException(cells.length + " cells for " + headers.size() + " columns");
        }
        rows.add(List.of(cells));
        return this;
    }

    String render() {
        int[] widths = new int[headers.size()];
        for (int c = 0; c < widths.length; c++) {
            widths[c] = Math.max(3, headers.get(c).length());
            for (List<String> row : rows) {
                widths[c] = Math.max(widths[c], row.get(c).length());
            }
        }
        StringBuilder out = new StringBuilder();
        line(out, headers, widths);
        out.append('|');
        for (int c = 0; c < widths.length; c++) {
            out.append(rightAligned.get(c) ? "-".repeat(widths[c] + 1) + ":" : "-".repeat(widths[c] + 2)).append('|');
        }
        out.append('\n');
        rows.forEach(row -> line(out, row, widths));
        return out.toString();
    }

    private void line(StringBuilder out, List<String> cells, int[] widths) {
        out.append('|');
        for (int c = 0; c < widths.length; c++) {
            String cell = cells.get(c);
            String pad = " ".repeat(widths[c] - cell.length());
            out.append(' ').append(rightAligned.get(c) ? pad + cell : cell + pad).append(" |");
        }
        out.append('\n');
    }
}
