package io.hostdev.agent.cli;

enum OutputFormat {
    TREE, TABLE, JSON, YAML,
    /** libvirt's node-device XML: a {@code <devices>} listing, or one {@code <device>} document. */
    XML
}
