package io.eventfold.embedded;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on a data directory, held while a broker runs on it. Kafka locks its log
 * directory only once the controller already runs on it; a second broker on the same directory
 * must be turned away before that.
 */
final class DataDirLock implements AutoCloseable {

    static final String FILE_NAME = "eventfold-embedded.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock of an existing directory.
     *
     * @throws IOException if another broker, in this process or another, holds it
     */
    static DataDirLock acquire(Path dataDir) throws IOException {
        FileChannel channel = FileChannel.open(dataDir.resolve(FILE_NAME),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (IOException | RuntimeException e) {
            // OverlappingFileLockException: this JVM already holds it.
            channel.close();
            throw new IOException("another broker runs on " + dataDir + ": stop it, or give this one another data directory", e);
        }
        if (lock == null) {
            channel.close();
            throw new IOException("another process runs a broker on " + dataDir
                    + ": stop it, or give this one another data directory");
        }
        return new DataDirLock(channel, lock);
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
