package io.tessera.server.cli;

import java.io.PrintWriter;
import java.util.List;

/** Prints rows as aligned columns: text columns left-aligned, number columns right-aligned. */
final class TextTable {
    private TextTable() {
    }

    /**
     * @param rows the header row first
     * @param firstNumber the first right-aligned column
     * @param lastNumber  the last right-aligned column
     */
    static void print(PrintWriter out, List<String[]> rows, int firstNumber, int lastNumber) {
        int cols = rows.get(0).length;
        int[] width = new int[cols];
        for (String[] r : rows) {
            for (int c = 0; c < cols; c++) {
                width[c] = Math.max(width[c], r[c].length());
            }
        }
        StringBuilder b = new StringBuilder();
        for (String[] r : rows) {
            b.setLength(0);
            for (int c = 0; c < cols; c++) {
                boolean right = c >= firstNumber && c <= lastNumber;
                String pad = " ".repeat(width[c] - r[c].length());
                b.append(right ? pad + r[c] : c == cols - 1 ? r[c] : r[c] + pad);
                if (c < cols - 1) {
                    b.append("  ");
                }
            }
            out.println(b);
        }
        out.flush();
    }
}
