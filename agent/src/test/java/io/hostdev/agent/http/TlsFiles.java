package io.hostdev.agent.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS material made at test time: a PKCS#12 file with a self-signed certificate for 127.0.0.1 and
 * localhost from the JDK's keytool, the same identity as PEM files written from it, and PEM files
 * from openssl when it is installed.
 */
final class TlsFiles {

    private TlsFiles() {
    }

    /** Runs keytool to make a PKCS#12 keystore; returns its path. */
    static Path keytoolPkcs12(Path dir, String name, String keyAlg, String password) throws IOException,
            InterruptedException {
        Path store = dir.resolve(name + ".p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        List<String> cmd = new java.util.ArrayList<>(List.of(keytool, "-genkeypair", "-alias", "server",
                "-keyalg", keyAlg, "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", password,
                "-keypass", password));
        if (keyAlg.equals("EC")) {
            cmd.addAll(List.of("-groupname", "secp256r1"));
        }
        run(cmd);
        return store;
    }

    /** Writes the PKCS#12 file's certificate and key as PEM (chain and PKCS#8), returning the two paths. */
    static Path[] pemFromPkcs12(Path store, String password, Path dir, String name) throws IOException,
            GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, password.toCharArray());
        }
        PrivateKey key = (PrivateKey) ks.getKey("server", password.toCharArray());
        Certificate[] chain = ks.getCertificateChain("server");
        StringBuilder certs = new StringBuilder();
        for (Certificate c : chain) {
            certs.append(pem("CERTIFICATE", c.getEncoded()));
        }
        Path certFile = Files.writeString(dir.resolve(name + "-chain.pem"), certs.toString());
        Path keyFile = Files.writeString(dir.resolve(name + "-key.pem"), pem("PRIVATE KEY", key.getEncoded()));
        return new Path[] {certFile, keyFile};
    }

    static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }

    /** Whether an openssl binary runs here. */
    static boolean opensslPresent() {
        try {
            Process p = new ProcessBuilder("openssl", "version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** openssl's self-signed certificate and unencrypted PKCS#8 key (OpenSSL 3's default key format). */
    static Path[] opensslPem(Path dir, String name, List<String> keyArgs) throws IOException, InterruptedException {
        Path cert = dir.resolve(name + "-cert.pem");
        Path key = dir.resolve(name + "-key.pem");
        List<String> cmd = new java.util.ArrayList<>(List.of("openssl", "req", "-x509"));
        cmd.addAll(keyArgs);
        cmd.addAll(List.of("-nodes", "-keyout", key.toString(), "-out", cert.toString(), "-days", "2",
                "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"));
        run(cmd);
        return new Path[] {cert, key};
    }

    /** A client context that trusts exactly the certificate of this PKCS#12 file. */
    static SSLContext trusting(Path store, String password) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, password.toCharArray());
        }
        return trusting(ks.getCertificate("server"));
    }

    static SSLContext trusting(Certificate cert) throws IOException, GeneralSecurityException {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("server", cert);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    private static void run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(cmd.get(0) + " failed: " + out);
        }
    }
}
