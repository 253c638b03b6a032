package io.hostdev.agent.config;

import java.nio.file.Path;

/**
 * The HTTP API's TLS material: a PEM certificate chain and its PEM private key, or a PKCS#12
 * keystore with a file holding its password. All null: no TLS. Which combinations are allowed is
 * checked when the configuration is loaded.
 */
public record TlsConfig(Path certificate, Path key, Path keystore, Path keystorePasswordFile) {

    public static final TlsConfig NONE = new TlsConfig(null, null, null, null);

    public boolean enabled() {
        return certificate != null || keystore != null;
    }

    public boolean pem() {
        return certificate != null;
    }
}
