package io.kache.core.sync.cargo;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;

/**
 * Reads {@code cargo metadata}'s JSON with jackson-jr: objects become {@link java.util.Map}s,
 * arrays {@link java.util.List}s, strings {@link String}s, numbers {@link Number}s, and
 * {@code true}/{@code false}/{@code null} what they say. Strict as JSON is: no leading zeros, no
 * {@code +1}, no {@code NaN}, nothing after the value. Only {@code kache sync} reads it, never a
 * wrapper call, so the library's start-up costs nothing where it matters.
 */
public final class Json {

    private static final JsonFactory FACTORY = new JsonFactory();

    private Json() {
    }

    /**
     * @throws IllegalArgumentException naming the position of the first error
     */
    public static Object parse(String text) {
        try (JsonParser parser = FACTORY.createParser(text)) {
            if (parser.nextToken() == null) {
                throw new IllegalArgumentException("invalid JSON: no value");
            }
            Object value = JSON.std.anyFrom(parser);
            JsonToken after = parser.nextToken();
            if (after != null) {
                throw new IllegalArgumentException("invalid JSON at " + location(parser) + ": trailing " + after);
            }
            return value;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("invalid JSON: " + e.getOriginalMessage() + " at "
                    + (e.getLocation() == null ? "?" : e.getLocation().offsetDescription()), e);
        } catch (IOException e) {
            throw new IllegalArgumentException("invalid JSON: " + e.getMessage(), e);
        }
    }

    private static String location(JsonParser parser) {
        return parser.currentLocation().offsetDescription();
    }
}
