package io.hostdev.agent.journal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.hostdev.model.ModelJson;
import io.hostdev.model.change.ChangeEvent;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The journal of device changes: {@link ChangeEvent}s stored as one line of JSON each, in the
 * model's JSON conventions ({@link ModelJson}) without indentation, one append per probe cycle.
 */
public final class ChangeJournal implements AutoCloseable {

    private static final JsonMapper MAPPER = ModelJson.configure(JsonMapper.builder()).build();
    private static final ObjectWriter WRITER = MAPPER.writerFor(ChangeEvent.class);
    private static final ObjectReader READER = MAPPER.readerFor(ChangeEvent.class);

    private final Journal journal;

    private ChangeJournal(Journal journal) {
        this.journal = journal;
    }

    public static ChangeJournal open(Path dir, JournalConfig config) {
        return new ChangeJournal(Journal.open(dir, config));
    }

    public static ChangeJournal open(Path dir, JournalConfig config, Clock clock) {
        return new ChangeJournal(Journal.open(dir, config, clock));
    }

    /** The journal underneath, for its head, epoch, recovery report and retention. */
    public Journal journal() {
        return journal;
    }

    /** Appends one probe cycle's events as one atomic batch (see {@link Journal#append}). */
    public Appended append(List<ChangeEvent> events) {
        List<byte[]> payloads = new ArrayList<>(events.size());
        for (ChangeEvent e : events) {
            payloads.add(encode(e));
        }
        return journal.append(payloads);
    }

    /**
     * The events after {@code cursor}, at most {@code limit}, or the resync answer.
     *
     * @throws MalformedCursorException when the string is not a cursor
     * @throws JournalException         when a stored record is not a change event this code can read
     */
    public ReadResult<ChangeEvent> read(String cursor, int limit) {
        return journal.read(cursor, limit).map(ChangeJournal::decode);
    }

    public ReadResult<ChangeEvent> read(Cursor cursor, int limit) {
        return journal.read(cursor, limit).map(ChangeJournal::decode);
    }

    public Cursor head() {
        return journal.head();
    }

    static byte[] encode(ChangeEvent e) {
        try {
            return WRITER.writeValueAsBytes(e);
        } catch (JsonProcessingException ex) {
            throw new IllegalArgumentException("change event for " + e.name() + " cannot be written as JSON: "
                    + ex.getOriginalMessage(), ex);
        }
    }

    static ChangeEvent decode(byte[] json) {
        try {
            return READER.readValue(json);
        } catch (IOException | IllegalArgumentException ex) {
            throw new JournalException("a journal record is not a change event: " + ex.getMessage(), ex);
        }
    }

    @Override
    public void close() {
        journal.close();
    }
}
