package io.realtimegateway.preflight;

import java.util.Arrays;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** {@code check [--json]}: prints the preflight report and turns it into an exit code. */
@ApplicationScoped
public class CheckCommand {

    public static final int EXIT_OK = 0;
    public static final int EXIT_USAGE = 2;
    public static final int EXIT_FAILED = 3;

    private final Preflight preflight;
    private final ObjectMapper mapper;

    CheckCommand(Preflight preflight, ObjectMapper mapper) {
        this.preflight = preflight;
        this.mapper = mapper;
    }

    /** @param args {@code check [--json]}, already validated by the main class */
    public int run(String... args) {
        boolean json = Arrays.asList(args).contains("--json");
        PreflightReport report = preflight.latest();
        // The report is the command's output, so it goes to stdout, where CI gates read it.
        System.out.println(json ? toJson(report) : report.toText());
        return report.status() == CheckStatus.FAIL ? EXIT_FAILED : EXIT_OK;
    }

    private String toJson(PreflightReport report) {
        try {
            return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(report);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("The preflight report is plain data and always serializes", e);
        }
    }
}
