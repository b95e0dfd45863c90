package io.realtimegateway.console;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;

/** The console's JSON: Quarkus's mapper (ISO instants, the registered modules) with snake_case names, like the rest of the API. */
@ApplicationScoped
class ConsoleJson {

    private final ObjectMapper mapper;

    ConsoleJson(ObjectMapper mapper) {
        this.mapper = mapper.copy().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
    }

    String write(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            // Only records of plain values are written here: a failure is a bug, not bad input.
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    ObjectMapper mapper() {
        return mapper;
    }
}
