package dev.extstorage.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.extstorage.model.ErrorCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The hand-written {@code index.d.ts} against the Java model: its {@code StorageErrorCode} union is exactly the
 * contract codes (SPEC section 4), which are the constants of {@link ErrorCode}.
 */
class TypeDeclarationsTest {
    private static final Set<ErrorCode> NOT_IN_CONTRACT = EnumSet.noneOf(ErrorCode.class);
    private static final Path DTS = Paths.get("src", "main", "npm", "index.d.ts");

    /** The string literals of the union {@code export type StorageErrorCode = ...;}, comments removed. */
    static List<String> unionMembers(String dts) {
        String decl = "export type StorageErrorCode =";
        int start = dts.indexOf(decl);
        assertTrue(start >= 0, "no StorageErrorCode in index.d.ts");
        String body = dts.substring(start + decl.length()).replaceAll("(?s)/\\*.*?\\*/", "")
                .replaceAll("//[^\n]*", "");
        body = body.substring(0, body.indexOf(';'));
        List<String> members = new ArrayList<>();
        for (String part : body.split("\\|")) {
            String p = part.trim();
            if (p.isEmpty() && members.isEmpty()) {
                continue; // the leading '|'
            }
            Matcher m = Pattern.compile("'([A-Z_]+)'").matcher(p);
            assertTrue(m.matches(), "not a code literal in the union: <" + p + ">");
            members.add(m.group(1));
        }
        return members;
    }

    @Test
    void errorCodeUnionIsExactlyTheContractCodes() throws IOException {
        List<String> union = unionMembers(new String(Files.readAllBytes(DTS), StandardCharsets.UTF_8));
        Set<String> contract = EnumSet.complementOf(EnumSet.copyOf(NOT_IN_CONTRACT)).stream().map(Enum::name)
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> declared = new TreeSet<>(union);
        assertEquals(union.size(), declared.size(), "a code is listed twice: " + union);
        Set<String> missing = new TreeSet<>(contract);
        missing.removeAll(declared);
        Set<String> extra = new TreeSet<>(declared);
        extra.removeAll(contract);
        assertTrue(missing.isEmpty() && extra.isEmpty(),
                "index.d.ts StorageErrorCode differs from ErrorCode: missing " + missing + ", not contract codes " + extra);
        assertEquals(16, declared.size(), "SPEC section 4 has 16 codes");
    }

    @Test
    void parserSeesEveryMemberAndRejectsOthers() {
        assertEquals(List.of("A", "B_C"), unionMembers("export type StorageErrorCode =\n  | 'A' // x | 'Z'\n"
                + "  /* | 'Y' */ | 'B_C'; // a\nexport type Other = 'Q';"));
        try {
            unionMembers("export type StorageErrorCode = 'A' | string;");
        } catch (AssertionError expected) {
            return;
        }
        throw new AssertionError("a non-literal member was accepted");
    }

    @Test
    void errorInterfaceDocumentsStatusRetryAfterAndDetails() throws IOException {
        String dts = new String(Files.readAllBytes(DTS), StandardCharsets.UTF_8);
        String error = dts.substring(dts.indexOf("export interface StorageError "));
        error = error.substring(0, error.indexOf("\n}"));
        for (String member : new String[] {"code: StorageErrorCode", "status?: number;", "retryAfter?: number;",
            "limit?: number;", "actual?: number;", "version?: string | null;"}) {
            assertTrue(error.contains(member), "StorageError lacks " + member);
        }
    }
}
