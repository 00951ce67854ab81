package com.groupbuy.market.config.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.support.ProjectRoot;
import com.groupbuy.market.types.enums.ResponseCode;
import com.groupbuy.market.types.net.NotifyHostLookup;
import com.groupbuy.market.types.net.NotifyUrlPolicy;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * The code table of the OpenAPI description ({@code info.description}) says what {@code docs/api.md}'s audited
 * "Codes" table says: every code, each with the HTTP statuses and endpoints api.md gives it, and advice that says
 * when each status other than 200 is answered. The description named only 400 and 403 for 0002 (it is also 404,
 * 405, 406, 408, 415 and 421) and nothing of 0006's 429.
 */
class PartnerCodeTableTest {

    private static final Pattern UNESCAPED_BAR = Pattern.compile("(?<!\\\\)\\|");
    private static final Pattern STATUS = Pattern.compile("\\b[1-5][0-9]{2}\\b");

    /** A row of a code table: the code, and its cells by column name. */
    private record Row(String code, Map<String, String> cells) {}

    @Test
    void theDescriptionsCodeTableHasEveryCodeWithApiMdsStatusesAndEndpoints() throws Exception {
        Map<String, Row> apiMd =
                table(section(Files.readString(ProjectRoot.path().resolve("docs/api.md")), "## Codes"));
        Map<String, Row> published = table(OpenApiConfig.description());

        List<String> codes =
                Arrays.stream(ResponseCode.values()).map(ResponseCode::getCode).toList();
        assertThat(apiMd.keySet()).as("codes in docs/api.md's Codes table").containsExactlyInAnyOrderElementsOf(codes);
        assertThat(published.keySet())
                .as("codes in the OpenAPI description's table")
                .containsExactlyInAnyOrderElementsOf(codes);

        Map<String, String> wrong = new TreeMap<>();
        for (String code : codes) {
            Map<String, String> ours = published.get(code).cells();
            Map<String, String> theirs = apiMd.get(code).cells();
            for (String column : List.of("HTTP", "endpoints")) {
                if (!ours.containsKey(column)) {
                    wrong.put(code + " " + column, "no " + column + " column; api.md: " + theirs.get(column));
                } else if (!ours.get(column).equals(theirs.get(column))) {
                    wrong.put(code + " " + column, ours.get(column) + " (api.md: " + theirs.get(column) + ")");
                }
            }
        }
        assertThat(wrong).as("the description's table against api.md's").isEmpty();
    }

    @Test
    void theAdviceSaysWhenEachStatusOtherThan200IsAnswered() throws Exception {
        Map<String, Row> apiMd =
                table(section(Files.readString(ProjectRoot.path().resolve("docs/api.md")), "## Codes"));
        Map<String, Row> published = table(OpenApiConfig.description());
        Map<String, List<String>> unexplained = new TreeMap<>();
        apiMd.forEach((code, row) -> {
            String advice = published.get(code).cells().get("what the partner should do");
            Matcher statuses = STATUS.matcher(row.cells().get("HTTP"));
            while (statuses.find()) {
                String status = statuses.group();
                if (!status.equals("200") && (advice == null || !advice.contains("HTTP " + status))) {
                    unexplained.computeIfAbsent(code, c -> new ArrayList<>()).add(status);
                }
            }
        });
        assertThat(unexplained)
                .as("statuses api.md gives a code that its advice does not name as \"HTTP nnn\"")
                .isEmpty();
    }

    @Test
    void theAdviceNamesTheInfoTextsThatChangeWhatToDo() {
        SoftAssertions softly = new SoftAssertions();
        // 0003: a number taken by another order (use a new one) vs. a draw or key that failed (send it again).
        softly.assertThat(PartnerCodeAdvice.of(ResponseCode.UNIQUE_KEY_CONFLICT))
                .as("0003")
                .contains("is already an order for other parameters", "ending `retry`", "send the same request again");
        // 0004: only the admin switch change answers it, and sending it again is refused again.
        softly.assertThat(PartnerCodeAdvice.of(ResponseCode.UPDATE_ZERO))
                .as("0004")
                .contains("Read the switch again")
                .doesNotContain("retry once");
        // E0105 refuses locks and refunds too, not only settlement.
        softly.assertThat(PartnerCodeAdvice.of(ResponseCode.E0105))
                .as("E0105")
                .contains("locks", "settlements", "refunds");
        // E0204: the length, the port, and the lookup refusals that are worth sending again.
        softly.assertThat(PartnerCodeAdvice.of(ResponseCode.E0204))
                .as("E0204")
                .contains(
                        String.valueOf(NotifyUrlPolicy.MAX_LENGTH),
                        "port",
                        NotifyHostLookup.TIMED_OUT,
                        NotifyHostLookup.BUSY,
                        "send the same lock again");
        softly.assertAll();
    }

    /** The text of a Markdown section, from its heading to the next heading of the same level. */
    private static String section(String markdown, String heading) {
        int start = markdown.indexOf("\n" + heading + "\n");
        assertThat(start).as(heading + " in docs/api.md").isNotNegative();
        int end = markdown.indexOf("\n## ", start + heading.length() + 1);
        return markdown.substring(start, end < 0 ? markdown.length() : end);
    }

    /** The code table of a text: its header row starts "| code |"; each row's first cell is a code in backticks. */
    private static Map<String, Row> table(String text) {
        List<String> header = null;
        Map<String, Row> rows = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (!line.startsWith("|")) {
                header = line.isBlank() ? header : null;
                continue;
            }
            List<String> cells = cells(line);
            if (cells.get(0).equals("code")) {
                header = cells;
            } else if (header != null && cells.get(0).matches("`[0-9A-Z]+`")) {
                Map<String, String> byColumn = new LinkedHashMap<>();
                for (int i = 1; i < Math.min(header.size(), cells.size()); i++) {
                    byColumn.put(header.get(i), cells.get(i));
                }
                String code = cells.get(0).substring(1, cells.get(0).length() - 1);
                assertThat(rows.put(code, new Row(code, byColumn)))
                        .as("row of " + code + " twice")
                        .isNull();
            }
        }
        return rows;
    }

    private static List<String> cells(String line) {
        String inner = line.strip();
        inner = inner.substring(1, inner.endsWith("|") ? inner.length() - 1 : inner.length());
        return Arrays.stream(UNESCAPED_BAR.split(inner, -1)).map(String::strip).toList();
    }
}
