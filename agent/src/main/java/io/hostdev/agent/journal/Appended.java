package io.hostdev.agent.journal;

/**
 * What one append wrote: sequences {@code first} to {@code last} (both inclusive; {@code first} is
 * {@code last + 1} for an empty batch, which writes nothing) and the head cursor after it.
 */
public record Appended(long first, long last, Cursor head) {

    public int count() {
        return (int) (last - first + 1);
    }
}
