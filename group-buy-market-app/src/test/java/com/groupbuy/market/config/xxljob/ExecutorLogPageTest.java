package com.groupbuy.market.config.xxljob;

import static org.assertj.core.api.Assertions.assertThat;

import com.xxl.job.core.biz.model.LogResult;
import com.xxl.job.core.log.XxlJobFileAppender;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /log}'s page against the library's own reading ({@code XxlJobFileAppender.readLog}, xxl-job-core 3.2.0): the
 * same line numbers and text while a log fits one page, and a log larger than a page comes back whole, page by page,
 * the way the console asks ({@code fromLineNum = toLineNum + 1} until {@code fromLineNum > toLineNum}).
 */
class ExecutorLogPageTest {

    @TempDir
    Path dir;

    @Test
    void aLogWithinOnePageReadsAsTheLibraryReadsIt() throws Exception {
        XxlJobFileAppender.initLogPath(dir.toString());
        List<String> logs = List.of(
                "",
                "one line without end",
                "a\nb\n",
                "a\r\nb\r\nc",
                "a\rb\r\rc\n\n",
                "\r\n\r\n",
                "first\r\nsecond line, ünïcode ✓\r\n\r\nlast\r\n");
        int n = 0;
        for (String log : logs) {
            String name = "case-" + n++ + ".log";
            Files.writeString(dir.resolve(name), log, StandardCharsets.UTF_8);
            for (int from : new int[] {-3, 0, 1, 2, 3, 5, 9}) {
                LogResult library = XxlJobFileAppender.readLog(dir.resolve(name).toString(), from);
                LogResult ours = page(log, from, 1 << 16);
                assertThat(ours.getFromLineNum()).as("%s from %d", name, from).isEqualTo(library.getFromLineNum());
                assertThat(ours.getToLineNum()).as("%s from %d", name, from).isEqualTo(library.getToLineNum());
                assertThat(ours.getLogContent()).as("%s from %d", name, from).isEqualTo(library.getLogContent());
                assertThat(ours.isEnd()).isEqualTo(library.isEnd());
            }
        }
    }

    @Test
    void aLogLargerThanAPageComesBackWholePageByPage() throws Exception {
        XxlJobFileAppender.initLogPath(dir.toString());
        StringBuilder log = new StringBuilder();
        for (int i = 1; i <= 20_000; i++) {
            log.append("2026-12-03 04:00:00 [job] line ")
                    .append(i)
                    .append(" ")
                    .append("x".repeat(i % 97))
                    .append("\r\n");
        }
        Files.writeString(dir.resolve("big.log"), log, StandardCharsets.UTF_8);
        String whole =
                XxlJobFileAppender.readLog(dir.resolve("big.log").toString(), 1).getLogContent();

        StringBuilder paged = new StringBuilder();
        int from = 1;
        int pages = 0;
        while (true) {
            LogResult page = page(log.toString(), from, 64 * 1024);
            assertThat(page.getFromLineNum()).isEqualTo(from);
            if (from > page.getToLineNum()) {
                break;
            }
            String text = page.getLogContent();
            if (text.contains("[the executor answers at most")) {
                assertThat(text.length()).isLessThanOrEqualTo(64 * 1024 + 300);
                text = text.substring(0, text.lastIndexOf("[the executor answers at most"));
            }
            paged.append(text);
            from = page.getToLineNum() + 1;
            pages++;
        }

        assertThat(pages).isGreaterThan(10);
        assertThat(paged.toString()).isEqualTo(whole);
    }

    @Test
    void aLineLongerThanAPageIsCutAndTheNextPageGoesOn() throws Exception {
        String log = "short\n" + "é".repeat(100_000) + "\nafter\n";

        LogResult first = page(log, 1, 4096);
        LogResult second = page(log, first.getToLineNum() + 1, 4096);
        LogResult third = page(log, second.getToLineNum() + 1, 4096);

        assertThat(first.getToLineNum()).isEqualTo(1);
        assertThat(first.getLogContent()).startsWith("short\n").contains("more follows");
        assertThat(second.getToLineNum()).as("a cut line ends its page").isEqualTo(2);
        String cut = second.getLogContent().substring(0, second.getLogContent().indexOf("[the executor answers"));
        assertThat(cut)
                .startsWith("éé")
                .endsWith(" [line cut: longer than a page]\n")
                .doesNotContain("\uFFFD");
        assertThat(cut.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(4096);
        assertThat(third.getToLineNum()).isEqualTo(3);
        assertThat(third.getLogContent()).isEqualTo("after\n");
    }

    /**
     * The console asks a finished run's log once, from line 1, and shows that answer alone. A finished run's log of
     * 20,000 lines, written by the library's own appender with the end lines its JobThread writes: the first page was
     * the head only, so the result line never showed. Now it is the head and the tail, the head reading as the
     * library's reader reads the file's start and the tail as it reads the end, and {@code toLineNum} the last line.
     */
    @Test
    void aFinishedRunsFirstPageShowsItsHeadAndItsEnd() throws Exception {
        XxlJobFileAppender.initLogPath(dir.toString());
        String file = dir.resolve("finished.log").toString();
        XxlJobFileAppender.appendLog(
                file, "<br>----------- xxl-job job execute start -----------<br>----------- Param:");
        for (int i = 1; i <= 20_000; i++) {
            XxlJobFileAppender.appendLog(file, "[job] line " + i + " " + "x".repeat(i % 97));
        }
        XxlJobFileAppender.appendLog(
                file,
                "<br>----------- xxl-job job execute end(finish) -----------<br>----------- Result: handleCode=200,"
                        + " handleMsg = null");
        LogResult library = XxlJobFileAppender.readLog(file, 1);
        String whole = library.getLogContent();

        LogResult first = ExecutorLogPage.pageOfFile(Path.of(file), 1, 64 * 1024, "finished.log");
        String text = first.getLogContent();
        System.out.println("a finished run's log of " + library.getToLineNum() + " lines ("
                + whole.length() + " characters): the first page has " + text.length() + " characters, ends at line "
                + first.getToLineNum() + ", result line shown: " + text.contains("execute end(finish)"));

        assertThat(text.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(64 * 1024);
        assertThat(text)
                .as("the run's result, on the one page the console shows")
                .contains("Result: handleCode=200");
        assertThat(first.getToLineNum()).as("the last line").isEqualTo(library.getToLineNum());
        int gap = text.indexOf("[the run has ended and its log is longer than one answer");
        assertThat(gap).isPositive();
        String head = text.substring(0, gap);
        String tail = text.substring(text.indexOf("]\n", gap) + 2);
        assertThat(whole).startsWith(head).endsWith(tail);
        assertThat(head.length() + tail.length()).isGreaterThan(40 * 1024);
        assertThat(ExecutorLogPage.pageOfFile(Path.of(file), 2, 64 * 1024, "finished.log")
                        .getLogContent())
                .as("a page from a later line is the plain page")
                .isEqualTo(ExecutorLogPage.page(
                                new ByteArrayInputStream(readString(file).getBytes(StandardCharsets.UTF_8)),
                                2,
                                64 * 1024,
                                "finished.log")
                        .getLogContent());
    }

    private static String readString(String file) throws IOException {
        return Files.readString(Path.of(file), StandardCharsets.UTF_8);
    }

    private static LogResult page(String log, int from, int maxBytes) throws IOException {
        return ExecutorLogPage.page(
                new ByteArrayInputStream(log.getBytes(StandardCharsets.UTF_8)), from, maxBytes, "x.log");
    }
}
