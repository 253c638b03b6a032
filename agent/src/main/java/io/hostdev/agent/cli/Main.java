package io.hostdev.agent.cli;

/** Entry point of the {@code hostdev} command. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(Cli.run(args, System.out, System.err));
    }
}
