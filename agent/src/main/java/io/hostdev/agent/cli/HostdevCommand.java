package io.hostdev.agent.cli;

import picocli.CommandLine.Command;

@Command(name = "hostdev",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = "Discovers the devices of this host and keeps them as a libvirt-compatible tree.",
        subcommands = {ListCommand.class, ShowCommand.class, CapabilitiesCommand.class, CaptureCommand.class,
                AgentCommand.class, ChangesCommand.class, WatchCommand.class})
final class HostdevCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }
}
