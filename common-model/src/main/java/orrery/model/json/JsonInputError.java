package orrery.model.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.IgnoredPropertyException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.util.Collection;
import java.util.Objects;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns Jackson's exceptions into one line a person can act on, naming the field at fault
 * by its JSON path ({@code data.checks.size}, {@code items[2].url}).
 *
 * @param kind what went wrong, stable enough to map onto a problem type
 * @param field JSON path of the offending field, or null when the whole document is at fault
 * @param message a sentence that names the field and says what was expected
 */
public record JsonInputError(Kind kind, String field, String message) {

    /** What kind of mistake the input made. */
    public enum Kind {
        /** Not JSON at all, or truncated. */
        MALFORMED,
        /** A field the receiver does not know. */
        UNKNOWN_FIELD,
        /** A required field is absent or null. */
        MISSING_FIELD,
        /** A field is present but its value has the wrong type or format. */
        INVALID_VALUE
    }

    private static final Pattern MISSING_PROPERTY = Pattern.compile("Missing required creator property '([^']+)'");

    public JsonInputError {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
    }

    /** Describes {@code failure}; {@code prefix} is prepended to field paths (e.g. "data"). */
    public static JsonInputError describe(JsonProcessingException failure, String prefix) {
        if (failure instanceof UnrecognizedPropertyException unknown) {
            String field = join(prefix, path(unknown), unknown.getPropertyName());
            return new JsonInputError(Kind.UNKNOWN_FIELD, field,
                    "unknown field '" + field + "'" + allowed(unknown.getKnownPropertyIds()));
        }
        if (failure instanceof IgnoredPropertyException ignored) {
            String field = join(prefix, path(ignored), ignored.getPropertyName());
            return new JsonInputError(Kind.UNKNOWN_FIELD, field, "field '" + field + "' is not accepted here");
        }
        if (failure instanceof ValueInstantiationException instantiation) {
            Throwable cause = instantiation.getCause() != null ? instantiation.getCause() : instantiation;
            String field = join(prefix, path(instantiation), null);
            String where = field == null ? "" : " in '" + field + "'";
            return new JsonInputError(Kind.INVALID_VALUE, field, "invalid value" + where + ": " + cause.getMessage());
        }
        if (failure instanceof InvalidFormatException invalid) {
            String field = join(prefix, path(invalid), null);
            return new JsonInputError(Kind.INVALID_VALUE, field,
                    "field '" + field + "' has value " + quote(invalid.getValue()) + " which is not "
                            + (invalid.getTargetType() != null && invalid.getTargetType().isEnum()
                                    ? expectedShape(invalid.getTargetType())
                                    : "a valid " + simpleName(invalid.getTargetType())));
        }
        if (failure instanceof MismatchedInputException mismatched) {
            Matcher missing = MISSING_PROPERTY.matcher(String.valueOf(mismatched.getOriginalMessage()));
            if (missing.find()) {
                String field = join(prefix, path(mismatched), missing.group(1));
                return new JsonInputError(Kind.MISSING_FIELD, field, "field '" + field + "' is required");
            }
            String field = join(prefix, path(mismatched), null);
            if (field == null) {
                return new JsonInputError(Kind.MALFORMED, null,
                        "expected a JSON " + expectedShape(mismatched.getTargetType()) + " but got something else");
            }
            String original = String.valueOf(mismatched.getOriginalMessage());
            if (original.contains("null") && original.toLowerCase().contains("primitive")) {
                return new JsonInputError(Kind.MISSING_FIELD, field, "field '" + field + "' must not be null");
            }
            return new JsonInputError(Kind.INVALID_VALUE, field,
                    "field '" + field + "' should be " + expectedShape(mismatched.getTargetType()));
        }
        if (failure instanceof JsonMappingException mapping) {
            String field = join(prefix, path(mapping), null);
            return new JsonInputError(Kind.INVALID_VALUE, field,
                    (field == null ? "invalid document: " : "field '" + field + "': ") + mapping.getOriginalMessage());
        }
        return new JsonInputError(Kind.MALFORMED, null, "not valid JSON: " + failure.getOriginalMessage());
    }

    private static String path(JsonMappingException failure) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : failure.getPath()) {
            if (reference.getFieldName() != null) {
                if (path.length() > 0) {
                    path.append('.');
                }
                path.append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String join(String prefix, String path, String leaf) {
        if (leaf != null && (path.equals(leaf) || path.endsWith("." + leaf))) {
            leaf = null; // Jackson already put the property on the path
        }
        StringBuilder joined = new StringBuilder();
        for (String part : new String[] {prefix, path, leaf}) {
            if (part == null || part.isEmpty()) {
                continue;
            }
            if (joined.length() > 0 && !part.startsWith("[")) {
                joined.append('.');
            }
            joined.append(part);
        }
        return joined.length() == 0 ? null : joined.toString();
    }

    private static String allowed(Collection<Object> known) {
        if (known == null || known.isEmpty()) {
            return "";
        }
        TreeSet<String> names = new TreeSet<>();
        known.forEach(name -> names.add(String.valueOf(name)));
        return "; allowed fields are " + String.join(", ", names);
    }

    private static String quote(Object value) {
        return value instanceof String ? "\"" + value + "\"" : String.valueOf(value);
    }

    private static String simpleName(Class<?> type) {
        return type == null ? "value" : type.getSimpleName();
    }

    private static String expectedShape(Class<?> type) {
        if (type == null) {
            return "value";
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        if (type == String.class) {
            return "a string";
        }
        if (Number.class.isAssignableFrom(type) || (type.isPrimitive() && type != boolean.class)) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type.isEnum()) {
            TreeSet<String> values = new TreeSet<>();
            for (Object constant : type.getEnumConstants()) {
                values.add(constant.toString());
            }
            return "one of " + String.join(", ", values);
        }
        return "an object (" + type.getSimpleName() + ")";
    }
}
