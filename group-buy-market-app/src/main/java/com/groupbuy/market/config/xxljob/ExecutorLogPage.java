package com.groupbuy.market.config.xxljob;

import com.xxl.job.core.biz.model.LogParam;
import com.xxl.job.core.biz.model.LogResult;
import com.xxl.job.core.biz.model.ReturnT;
import com.xxl.job.core.log.XxlJobFileAppender;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Date;
import java.util.List;

/**
 * {@code /log}'s answer: one page of a run's log file at a time, read from the file as it is written, so that no
 * request for a large log holds it whole.
 */
final class ExecutorLogPage {

    /** Most log text one {@code /log} answer carries (the console asks again from the next line). */
    static final int LOG_PAGE_BYTES = 256 * 1024;

    private static final String MORE_FOLLOWS_START = "[the executor answers at most ";
    private static final String MORE_FOLLOWS_END = " in the executor's log dir)]\n";
    private static final int PAGE_FULL = 0;
    private static final int LINE_ADDED = 1;
    private static final int LINE_CUT = 2;

    private ExecutorLogPage() {}

    /**
     * One page of a run's log, as the console pages it: lines {@code fromLineNum} to {@code toLineNum} (counted from 1,
     * a line ends at LF, CR or CRLF, as the library counts them), at most {@link #LOG_PAGE_BYTES} of text; the console
     * asks again from {@code toLineNum + 1} while the run goes on. The library read the whole file from
     * {@code fromLineNum} into one answer (and two more copies as JSON), so one request for a large log could take the
     * heap. A single line over the page is cut; a page that stops before the file's end says so in its last line.
     * {@code isEnd} stays false as the library answers it (the console decides the end from the run's state).
     *
     * <p>The file is {@code <log dir>/<yyyy-MM-dd of logDateTim>/<logId>.log}, as {@code
     * XxlJobFileAppender.makeLogFileName} names it: both are numbers in the request, so no request names a file outside
     * the log dir (checked again here). The library made the day folder of whatever date was asked before looking, so
     * each request with another date left a folder behind: a read must not write, and a missing file answers as the
     * library answers it ("logFile not exists").
     */
    static ReturnT<LogResult> readLog(LogParam param) {
        if (param == null) {
            return ReturnT.ofFail("invalid request, no log parameter.");
        }
        Path dir = Path.of(XxlJobFileAppender.getLogPath()).toAbsolutePath().normalize();
        // The library's name for the day, in this JVM's locale and zone as the library wrote it (not ISO text).
        String day = ExecutorLogRetention.libraryDayFormat().format(new Date(param.getLogDateTim()));
        Path file = dir.resolve(day).resolve(param.getLogId() + ".log").normalize();
        if (!file.startsWith(dir) || !Files.isRegularFile(file)) {
            return ReturnT.ofSuccess(
                    new LogResult(param.getFromLineNum(), 0, "readLog fail, logFile not exists", true));
        }
        try {
            return ReturnT.ofSuccess(
                    pageOfFile(file, param.getFromLineNum(), LOG_PAGE_BYTES, day + "/" + file.getFileName()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Lines the library's {@code JobThread} writes when a run has ended (finished, failed, killed or timed out): after
     * one of them no more lines come.
     */
    private static final List<String> RUN_ENDED =
            List.of("----------- xxl-job job execute end(", "----------- JobThread toStop", "job execute timeout");

    /**
     * {@link #page} of {@code file}, but the first page of a finished run's log that does not fit one page is its head
     * and its tail, each at most half a page, with a line saying which lines are left out. The console asks a
     * finished run's log once, from line 1, and shows that answer alone (joblog.detail.js stops at once when the run
     * has a handle code): a head-only page hid how the run ended, the result and the error. {@code toLineNum} is then
     * the last line, so a console that does ask again is told the log has ended.
     */
    static LogResult pageOfFile(Path file, int fromLineNum, int maxBytes, String name) throws IOException {
        LogResult page;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            page = page(in, fromLineNum, maxBytes, name);
        }
        if (fromLineNum > 1 || !page.getLogContent().endsWith(MORE_FOLLOWS_END) || !runEnded(file)) {
            return page;
        }
        int half = maxBytes / 2 - 256;
        long size = Files.size(file);
        long[] lines = lineCounts(file, size - half); // [all lines, the first line starting at or after the offset]
        LogResult head;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            head = page(in, 1, half, name);
        }
        int tailFrom = (int) lines[1];
        if (tailFrom <= head.getToLineNum() + 1 || lines[1] > lines[0]) {
            return page;
        }
        LogResult tail;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            tail = page(in, tailFrom, half, name);
        }
        String headText = head.getLogContent();
        int note = headText.lastIndexOf(MORE_FOLLOWS_START);
        String text = (note >= 0 ? headText.substring(0, note) : headText)
                + "[the run has ended and its log is longer than one answer (" + maxBytes + " bytes): lines "
                + (head.getToLineNum() + 1) + " to " + (tailFrom - 1) + " are not shown here; read " + name
                + " in the executor's log dir]\n" + tail.getLogContent();
        return new LogResult(fromLineNum, tail.getToLineNum(), text, false);
    }

    private static boolean runEnded(Path file) throws IOException {
        long size = Files.size(file);
        int last = (int) Math.min(size, 16 * 1024);
        byte[] end = new byte[last];
        try (var channel = Files.newByteChannel(file)) {
            channel.position(size - last);
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(end);
            while (buffer.hasRemaining() && channel.read(buffer) > 0) {
                // reads the file's last bytes
            }
        }
        String text = new String(end, StandardCharsets.UTF_8);
        return RUN_ENDED.stream().anyMatch(text::contains);
    }

    /**
     * The file's line count as the library counts them, and the number of the first line that starts at or after
     * byte {@code offset} (past the count when none does).
     */
    private static long[] lineCounts(Path file, long offset) throws IOException {
        long lines = 0;
        long firstAfter = -1;
        long at = 0;
        boolean pending = false;
        int previous = -1;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            byte[] chunk = new byte[1 << 16];
            int read;
            while ((read = in.read(chunk)) != -1) {
                for (int i = 0; i < read; i++, at++) {
                    int b = chunk[i] & 0xFF;
                    if (b == '\n' && previous == '\r') {
                        previous = b;
                        continue;
                    }
                    previous = b;
                    if (b == '\n' || b == '\r') {
                        lines++;
                        pending = false;
                        continue;
                    }
                    if (!pending && firstAfter < 0 && at >= offset) {
                        firstAfter = lines + 1;
                    }
                    pending = true;
                }
            }
        }
        if (pending) {
            lines++;
        }
        return new long[] {lines, firstAfter < 0 ? lines + 1 : firstAfter};
    }

    /** {@link #readLog}'s page of {@code in}; {@code name} for the note on a page that stops early. */
    static LogResult page(InputStream in, int fromLineNum, int maxBytes, String name) throws IOException {
        int from = Math.max(1, fromLineNum);
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int lineNum = 0; // lines ended so far
        int toLineNum = 0;
        boolean lineCut = false;
        boolean pending = false; // bytes of a line not ended yet
        boolean full = false;
        boolean closed = false; // a cut line ends its page
        int previous = -1;
        byte[] chunk = new byte[1 << 16];
        int read;
        scan:
        while ((read = in.read(chunk)) != -1) {
            for (int at = 0; at < read; at++) {
                int b = chunk[at] & 0xFF;
                if (b == '\n' && previous == '\r') {
                    previous = b;
                    continue; // CRLF: the CR ended the line
                }
                previous = b;
                if (closed) {
                    full = true;
                    break scan;
                }
                if (b == '\n' || b == '\r') {
                    lineNum++;
                    pending = false;
                    if (lineNum >= from) {
                        int added = append(text, line, lineCut, maxBytes);
                        if (added == PAGE_FULL) {
                            full = true;
                            break scan;
                        }
                        toLineNum = lineNum;
                        closed = added == LINE_CUT;
                    }
                    line.reset();
                    lineCut = false;
                    continue;
                }
                pending = true;
                if (lineNum + 1 >= from) {
                    if (line.size() < maxBytes) {
                        line.write(b);
                    } else {
                        lineCut = true;
                    }
                }
            }
        }
        if (!full && pending) {
            lineNum++;
            if (lineNum >= from) {
                if (append(text, line, lineCut, maxBytes) != PAGE_FULL) {
                    toLineNum = lineNum;
                } else {
                    full = true;
                }
            }
        }
        if (toLineNum == 0 && !full) {
            toLineNum = lineNum; // nothing from fromLineNum on: the last line there is, as the library answers
        }
        String content = text.toString(StandardCharsets.UTF_8);
        if (full) {
            content += MORE_FOLLOWS_START + maxBytes + " bytes of log at a time: this page ends at line "
                    + toLineNum + ", more follows (asked again from line " + (toLineNum + 1) + ", or read " + name
                    + MORE_FOLLOWS_END;
        }
        return new LogResult(fromLineNum, toLineNum, content, false);
    }

    /**
     * Adds {@code line} and its LF to the page if it fits, or — the page's first line — its first bytes that fit and a
     * note that it was cut ({@link #LINE_CUT}, which ends the page); {@link #PAGE_FULL} when it does not fit.
     */
    private static int append(ByteArrayOutputStream text, ByteArrayOutputStream line, boolean cut, int maxBytes) {
        if (text.size() + line.size() + 1 <= maxBytes && !cut) {
            text.writeBytes(line.toByteArray());
            text.write('\n');
            return LINE_ADDED;
        }
        if (text.size() > 0) {
            return PAGE_FULL;
        }
        byte[] bytes = line.toByteArray();
        int keep = Math.max(0, Math.min(bytes.length, maxBytes - 64));
        while (keep > 0 && keep < bytes.length && (bytes[keep] & 0xC0) == 0x80) {
            keep--; // not inside a UTF-8 character
        }
        text.write(bytes, 0, keep);
        text.writeBytes(" [line cut: longer than a page]\n".getBytes(StandardCharsets.US_ASCII));
        return LINE_CUT;
    }
}
