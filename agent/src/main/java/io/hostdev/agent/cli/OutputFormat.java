package io.hostdev.agent.cli;

enum OutputFormat {
    TREE, TABLE, JSON, YAML
}
