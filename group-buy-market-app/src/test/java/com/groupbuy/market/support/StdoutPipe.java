package com.groupbuy.market.support;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The reading end of a process's stdout pipe, as journald or a container's log driver holds it: read on a thread of
 * its own into a bounded text (its last {@value #KEPT} characters) until {@link #pause()}, when the reader stalls the
 * way a rate-limited or hung log reader does, and the kernel's pipe buffer (64 KiB on Linux) fills; {@link #resume()}
 * reads on. {@link #fill(long)} writes a burst of lines into the same pipe, as another writer of the pipe would.
 */
public final class StdoutPipe {

    /** The pipe buffer of a Linux pipe unless {@code F_SETPIPE_SZ} changed it. */
    public static final int PIPE_BUFFER = 64 * 1024;

    private static final int KEPT = 2_000_000;

    private final InputStream in;
    private final StringBuilder text = new StringBuilder();
    private boolean paused;

    private StdoutPipe(InputStream in) {
        this.in = in;
    }

    /** Starts reading {@code in} (a process's stdout) on a daemon thread. */
    static StdoutPipe reading(InputStream in, String name) {
        StdoutPipe pipe = new StdoutPipe(in);
        Thread reader = new Thread(pipe::readUntilEnd, "stdout-" + name);
        reader.setDaemon(true);
        reader.start();
        return pipe;
    }

    private void readUntilEnd() {
        // At least the stream's own buffer size: BufferedInputStream then reads the pipe directly, keeping nothing
        // back, so available() is what the pipe holds.
        byte[] chunk = new byte[8192];
        boolean closedUnderUs = false;
        try {
            while (true) {
                synchronized (this) {
                    while (paused) {
                        wait();
                    }
                }
                int n;
                try {
                    n = in.read(chunk);
                } catch (IOException closed) {
                    // When the process exits, the JDK's reaper drains what the pipe still holds into the stream and
                    // closes the pipe under a read in progress: the last lines (those of the stop) are read next.
                    if (closedUnderUs) {
                        return;
                    }
                    closedUnderUs = true;
                    continue;
                }
                if (n < 0) {
                    return;
                }
                closedUnderUs = false;
                synchronized (text) {
                    text.append(new String(chunk, 0, n, StandardCharsets.UTF_8));
                    if (text.length() > KEPT) {
                        text.delete(0, text.length() - KEPT);
                    }
                }
            }
        } catch (InterruptedException end) {
            Thread.currentThread().interrupt();
        }
    }

    /** The reader stops reading (after the read it may be in). */
    public synchronized void pause() {
        paused = true;
    }

    public synchronized void resume() {
        paused = false;
        notifyAll();
    }

    /** Bytes waiting in the pipe, unread. */
    public int unread() {
        try {
            return in.available();
        } catch (IOException e) {
            return -1;
        }
    }

    /** The last characters read. */
    public String text() {
        synchronized (text) {
            return text.toString();
        }
    }

    /**
     * Writes {@code bytes} of filler lines into process {@code pid}'s stdout pipe ({@code /proc/<pid>/fd/1}) on a
     * thread of its own, which blocks while the pipe is full and ends when the lines are all in.
     */
    public static Thread fill(long pid, long bytes) {
        Thread filler = new Thread(
                () -> {
                    // A page at a time (32 lines of 128 bytes): each write fills one of the pipe's pages whole, so a
                    // full
                    // pipe has no room left on its last page for a short log line either.
                    byte[] lines = ("filler line of a stalled log reader " + "-".repeat(91) + "\n")
                            .repeat(32)
                            .getBytes(StandardCharsets.US_ASCII);
                    try (OutputStream out = new FileOutputStream("/proc/" + pid + "/fd/1")) {
                        for (long written = 0; written < bytes; written += lines.length) {
                            out.write(lines);
                        }
                    } catch (IOException e) {
                        // the process is gone
                    }
                },
                "stdout-filler-" + pid);
        filler.setDaemon(true);
        filler.start();
        return filler;
    }
}
