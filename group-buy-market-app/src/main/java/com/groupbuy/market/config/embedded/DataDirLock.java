package com.groupbuy.market.config.embedded;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One instance per embedded data folder: an exclusive lock on a file in it, held while the embedded servers run. The
 * operating system drops the lock when the holder dies (kill -9 too), so a leftover file never blocks a start, while a
 * second instance on a folder in use is refused before it ends or starts anything (it would otherwise end the first
 * one's servers as leftovers and start its own MariaDB on the same files). The file names the holder's pid.
 */
final class DataDirLock {

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static DataDirLock take(Path file) throws IOException {
        FileChannel channel =
                FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException heldByThisJvm) {
            lock = null;
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            String holder = holder(file);
            channel.close();
            throw new InUseException("gbm.embedded.data-dir " + file.getParent() + " is in use by another running "
                    + "instance" + holder + ": two instances on one folder would end each other's embedded servers "
                    + "and share MariaDB's files. Stop it, or give this one another gbm.embedded.data-dir. Nothing "
                    + "was started or ended.");
        }
        channel.truncate(0);
        channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)));
        channel.force(false);
        return new DataDirLock(channel, lock);
    }

    /** Releases the folder (the servers are stopped); safe to call twice. */
    synchronized void release() {
        try {
            if (lock.isValid()) {
                lock.release();
            }
            channel.close();
        } catch (IOException e) {
            // Closing the channel or the JVM's exit drops the lock anyway.
        }
    }

    private static String holder(Path file) {
        try {
            String pid = Files.readString(file, StandardCharsets.US_ASCII).trim();
            return pid.matches("[0-9]{1,18}") ? " (pid " + pid + ")" : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** The folder is held by a live instance; nothing was touched. */
    static final class InUseException extends IllegalStateException {
        InUseException(String message) {
            super(message);
        }
    }
}
