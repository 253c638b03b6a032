package io.hostdev.tests;

import com.fasterxml.jackson.databind.JsonNode;
import io.hostdev.agent.cli.Cli;
import io.hostdev.model.Device;
import io.hostdev.model.DeviceTree;
import io.hostdev.model.ModelJson;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Runs the real {@code hostdev} command line in process and captures what it prints. */
final class CliRunner {

    private CliRunner() {
    }

    record Result(int exitCode, String out, String err) {
    }

    static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Cli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** {@code hostdev list --output json [args]}, parsed back into a tree. */
    static DeviceTree listTree(String... extraArgs) {
        List<String> args = new ArrayList<>(List.of("list", "--output", "json"));
        args.addAll(List.of(extraArgs));
        Result r = run(args.toArray(String[]::new));
        if (r.exitCode() != 0) {
            throw new AssertionError("hostdev " + args + " exited " + r.exitCode() + ": " + r.err());
        }
        try {
            JsonNode doc = ModelJson.reader().readTree(r.out());
            List<Device> devices = new ArrayList<>();
            for (JsonNode d : doc.get("devices")) {
                devices.add(ModelJson.reader().treeToValue(d, Device.class));
            }
            return DeviceTree.of(devices);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
