package io.hostdev.model.cap;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;

import java.io.IOException;

/**
 * 64-bit addresses as {@code "0xfe000000"} strings: JSON numbers above 2^53 lose precision in
 * most clients, and hex is how every PCI tool prints them.
 */
final class HexLong {

    private HexLong() {
    }

    static final class Serializer extends JsonSerializer<Long> {
        @Override
        public void serialize(Long value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
            gen.writeString("0x" + Long.toHexString(value));
        }
    }

    private static boolean isAsciiHex(int c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    static final class Deserializer extends JsonDeserializer<Long> {
        @Override
        public Long deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String text = p.getValueAsString();
            if (text == null) {
                return p.getLongValue();
            }
            String digits = text.startsWith("0x") || text.startsWith("0X") ? text.substring(2) : text;
            if (digits.isEmpty() || digits.length() > 16 || !digits.chars().allMatch(HexLong::isAsciiHex)) {
                return (Long) ctxt.handleWeirdStringValue(Long.class, text, "not a hex number");
            }
            return Long.parseUnsignedLong(digits, 16);
        }
    }
}
