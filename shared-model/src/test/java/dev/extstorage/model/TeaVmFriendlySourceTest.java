package dev.extstorage.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Fails the build when shared-model's main code reaches for what the TeaVM browser build cannot afford
 * (regex, formatting, java.time, locales, hash maps, String.replace, clones) or cannot do (reflection).
 * Comments and string literals are ignored so that Javadoc may still name what is avoided.
 */
class TeaVmFriendlySourceTest {
    private static final String[] FORBIDDEN = {
        "java.util.regex", "Pattern.", "Matcher", ".matches(", ".replaceAll(", ".replaceFirst(", ".split(",
        "String.format", ".formatted(", "java.util.Formatter", "printf(",
        "java.time", "java.text",
        "java.lang.reflect", "Class.forName", ".getDeclared", ".getMethod(", ".getField(", ".newInstance(",
        "java.lang.invoke", "MethodHandle",
        // each brings a kilobyte or more of TeaVM's class library into the browser module
        "java.util.Locale", "HashMap", "HashSet", "TreeMap", ".replace(", ".clone()",
        // TeaVM's radix conversion; NumberText writes numbers instead
        ".toHexString(", "Long.toString(", "Integer.toString("};

    @Test
    void mainSourcesAvoidRegexFormattingTimeAndReflection() throws IOException {
        Path root = Paths.get("src", "main", "java");
        assertTrue(Files.isDirectory(root), "run from the shared-model directory: " + root.toAbsolutePath());
        List<Path> sources;
        try (Stream<Path> walk = Files.walk(root)) {
            sources = walk.filter(p -> p.toString().endsWith(".java")).collect(Collectors.toList());
        }
        assertTrue(sources.size() >= 14, "found only " + sources);
        List<String> violations = new ArrayList<>();
        for (Path source : sources) {
            String code = stripCommentsAndLiterals(new String(Files.readAllBytes(source), StandardCharsets.UTF_8));
            for (String word : FORBIDDEN) {
                if (code.contains(word)) {
                    violations.add(root.relativize(source) + " uses " + word);
                }
            }
        }
        assertTrue(violations.isEmpty(), String.join("\n", violations));
    }

    @Test
    void scannerSeesCodeButNotCommentsOrLiterals() {
        String code = stripCommentsAndLiterals(
                "/** String.format */ int a; // java.time\n String s = \"java.util.regex \\\" .split(\"; "
                        + "char c = '\"'; x.split(\",\");");
        assertTrue(!code.contains("String.format") && !code.contains("java.time") && !code.contains("regex"), code);
        assertTrue(code.contains("x.split("), code);
    }

    /** The code with comments removed and the contents of string and char literals blanked. */
    static String stripCommentsAndLiterals(String src) {
        StringBuilder out = new StringBuilder(src.length());
        int i = 0;
        int n = src.length();
        while (i < n) {
            char c = src.charAt(i);
            if (c == '/' && i + 1 < n && src.charAt(i + 1) == '/') {
                while (i < n && src.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '/' && i + 1 < n && src.charAt(i + 1) == '*') {
                int end = src.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
                out.append(' ');
            } else if (c == '"' || c == '\'') {
                out.append(c).append(c);
                i++;
                while (i < n && src.charAt(i) != c) {
                    i += src.charAt(i) == '\\' ? 2 : 1;
                }
                i++;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }
}
