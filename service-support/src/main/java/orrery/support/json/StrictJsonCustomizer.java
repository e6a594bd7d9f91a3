package orrery.support.json;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;
import orrery.model.json.Json;

/**
 * Gives the ObjectMapper that Quarkus REST uses the same strict rules as the wire: unknown
 * fields are an error (Quarkus' default is to ignore them), and times are ISO-8601 text.
 */
@Singleton
public class StrictJsonCustomizer implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        Json.configure(mapper);
    }
}
