package io.hostdev.agent.cli;

import picocli.CommandLine.Command;

@Command(name = "capture", mixinStandardHelpOptions = true, hidden = true,
        description = "Record the files the probes read into a fixture archive.")
final class CaptureCommand implements Runnable {
    @Override
    public void run() {
        throw new Cli.CommandFailure("capture is not available yet");
    }
}
