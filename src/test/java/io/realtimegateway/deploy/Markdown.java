package io.realtimegateway.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Reads the project's Markdown: its pages, their fenced blocks, tables and backticked names. */
final class Markdown {

    static final Path DOCS = Path.of("docs");
    private static final Pattern BACKTICKED = Pattern.compile("`([^`]+)`");

    private Markdown() {
    }

    /** README.md, bench/README.md and every page under docs/. */
    static List<Path> pages() {
        List<Path> pages = new ArrayList<>(List.of(DeploymentFiles.README, Path.of("bench", "README.md")));
        try (Stream<Path> walk = Files.list(DOCS)) {
            walk.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return pages;
    }

    /** The lines of every fenced code block, in order. */
    static List<List<String>> codeBlocks(String markdown) {
        List<List<String>> blocks = new ArrayList<>();
        List<String> current = null;
        for (String line : markdown.split("\n", -1)) {
            if (line.startsWith("```")) {
                if (current == null) {
                    current = new ArrayList<>();
                } else {
                    blocks.add(current);
                    current = null;
                }
            } else if (current != null) {
                current.add(line);
            }
        }
        return blocks;
    }

    /** The first cell of a table body row, with its 1-based line number. */
    record Cell(int line, String text) {
    }

    /**
     * The first cell of every body row of the tables whose header's first cell is {@code header} (e.g. {@code Env},
     * {@code Check}); other tables (answers, exit codes) are prose.
     */
    static List<Cell> firstCells(String markdown, String header) {
        List<Cell> cells = new ArrayList<>();
        String[] lines = markdown.split("\n", -1);
        boolean inTable = false;
        for (int i = 0; i < lines.length; i++) {
            if (!lines[i].startsWith("|")) {
                inTable = false;
                continue;
            }
            boolean separator = lines[i].matches("\\|[\\s:|-]+\\|?\\s*");
            if (i + 1 < lines.length && lines[i + 1].matches("\\|[\\s:|-]+\\|?\\s*") && !separator) {
                inTable = firstCell(lines[i]).strip().equals(header);
                continue;
            }
            if (inTable && !separator) {
                cells.add(new Cell(i + 1, firstCell(lines[i])));
            }
        }
        return cells;
    }

    private static String firstCell(String row) {
        String[] parts = row.split("(?<!\\\\)\\|");
        return parts.length > 1 ? parts[1] : "";
    }

    /** The text of the section that starts with {@code heading} (a whole heading line), up to the next heading of its level. */
    static String section(String markdown, String heading) {
        int start = markdown.indexOf("\n" + heading + "\n");
        if (start < 0 && markdown.startsWith(heading + "\n")) {
            start = 0;
        }
        if (start < 0) {
            throw new AssertionError("no section " + heading);
        }
        String level = heading.substring(0, heading.indexOf(' ') + 1);
        int end = markdown.indexOf("\n" + level, start + heading.length() + 1);
        return markdown.substring(start, end < 0 ? markdown.length() : end);
    }

    /** Every backticked span of {@code text} matching {@code pattern} (whole span). */
    static Set<String> backticked(String text, Pattern pattern) {
        Set<String> found = new LinkedHashSet<>();
        Matcher m = BACKTICKED.matcher(text);
        while (m.find()) {
            if (pattern.matcher(m.group(1)).matches()) {
                found.add(m.group(1));
            }
        }
        return found;
    }
}
