package io.hostdev.probes.dbus;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Every JDK logging record at INFO or above, from any logger (ours, and dbus-java's through
 * slf4j-jdk14), while installed on the root logger.
 */
final class LogCapture extends Handler implements AutoCloseable {

    private final List<LogRecord> records = new ArrayList<>();

    static LogCapture install() {
        LogCapture capture = new LogCapture();
        capture.setLevel(Level.INFO);
        Logger.getLogger("").addHandler(capture);
        return capture;
    }

    @Override
    public synchronized void publish(LogRecord record) {
        if (record.getLevel().intValue() >= Level.INFO.intValue()) {
            records.add(record);
        }
    }

    synchronized List<String> lines() {
        return records.stream().map(r -> r.getLevel() + " " + r.getLoggerName() + ": " + message(r)).toList();
    }

    synchronized void clear() {
        records.clear();
    }

    private static String message(LogRecord r) {
        String m = r.getMessage();
        return r.getParameters() == null || m == null ? String.valueOf(m) : java.text.MessageFormat.format(m, r.getParameters());
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        Logger.getLogger("").removeHandler(this);
    }
}
