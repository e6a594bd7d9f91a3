package orrery.fswatch.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Duration;

/**
 * A duration of the API: an ISO-8601 string such as {@code PT0.3S}, nothing else. Jackson's own
 * reader also takes numbers as seconds, and turns one too large for a duration ({@code 1e300}) into
 * zero without a word; here a number is refused, like a string that is not ISO-8601 or too long for a
 * duration ({@code P999999999999D}). An empty string is the default, like {@code null}.
 */
final class IsoDurationDeserializer extends StdScalarDeserializer<Duration> {

    IsoDurationDeserializer() {
        super(Duration.class);
    }

    @Override
    public Duration deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        if (parser.currentToken() != JsonToken.VALUE_STRING) {
            return (Duration) context.handleUnexpectedToken(Duration.class, parser.currentToken(), parser,
                    "expected an ISO-8601 duration as a string, such as \"PT0.3S\"");
        }
        String text = parser.getText().strip();
        if (text.isEmpty()) {
            return null;
        }
        try {
            return Duration.parse(text);
        } catch (DateTimeException | ArithmeticException e) {
            return (Duration) context.handleWeirdStringValue(Duration.class, text.length() > 100 ? text.substring(0, 100) + "…" : text,
                    "not an ISO-8601 duration such as \"PT0.3S\" (at most an hour is used)");
        }
    }
}
