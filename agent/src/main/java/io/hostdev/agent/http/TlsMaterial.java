package io.hostdev.agent.http;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server's TLS identity as an in-memory {@link KeyStore}, built with JDK APIs from either a PEM
 * certificate chain and PKCS#8 private key (RFC 7468 text encodings; RFC 5208 key structure) or a
 * PKCS#12 file and its password file. Errors name the file and what is wrong, never key bytes or
 * the password.
 */
final class TlsMaterial {

    private static final Logger LOG = Logger.getLogger("io.hostdev.http");

    /** The alias of the one key entry of the stores built here. */
    static final String ALIAS = "hostdev";
    private static final Pattern PEM_BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)-----END \\1-----");

    private final KeyStore keyStore;
    private final String password;

    private TlsMaterial(KeyStore keyStore, String password) {
        this.keyStore = keyStore;
        this.password = password;
    }

    /** The store, holding one private key entry with its chain. */
    KeyStore keyStore() {
        return keyStore;
    }

    /** The store's password (random for stores built from PEM). Never log it. */
    String password() {
        return password;
    }

    static TlsMaterial load(HttpSettings.Tls tls) {
        TlsMaterial m = tls instanceof HttpSettings.Tls.Pem pem ? fromPem(pem.certificateChain(), pem.privateKey())
                : fromPkcs12(((HttpSettings.Tls.Pkcs12) tls).keyStore(), ((HttpSettings.Tls.Pkcs12) tls).passwordFile());
        m.warnAboutValidity();
        return m;
    }

    static TlsMaterial fromPem(Path chainFile, Path keyFile) {
        List<X509Certificate> chain = certificates(read(chainFile, "certificate chain"), chainFile);
        PrivateKey key = privateKey(read(keyFile, "private key"), keyFile, chain.get(0));
        char[] pw = randomPassword();
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry(ALIAS, key, pw, chain.toArray(new Certificate[0]));
            return new TlsMaterial(ks, new String(pw));
        } catch (GeneralSecurityException | IOException e) {
            throw new HttpSetupException("cannot hold the key from " + keyFile + " with the chain from " + chainFile
                    + ": " + e.getClass().getSimpleName());
        }
    }

    static TlsMaterial fromPkcs12(Path storeFile, Path passwordFile) {
        String pw = passwordFrom(read(passwordFile, "keystore password"), passwordFile);
        KeyStore ks;
        try (InputStream in = Files.newInputStream(storeFile)) {
            ks = KeyStore.getInstance("PKCS12");
            ks.load(in, pw.toCharArray());
        } catch (IOException e) {
            // a wrong password surfaces as an IOException whose cause is UnrecoverableKeyException
            throw new HttpSetupException("cannot open the PKCS#12 file " + storeFile + ": wrong password (from "
                    + passwordFile + "), or not a PKCS#12 file (" + e.getClass().getSimpleName() + ")");
        } catch (GeneralSecurityException e) {
            throw new HttpSetupException("cannot open the PKCS#12 file " + storeFile + ": "
                    + e.getClass().getSimpleName());
        }
        try {
            List<String> keys = new ArrayList<>();
            for (String alias : Collections.list(ks.aliases())) {
                if (ks.isKeyEntry(alias)) {
                    keys.add(alias);
                }
            }
            if (keys.size() != 1) {
                throw new HttpSetupException("the PKCS#12 file " + storeFile + " holds " + keys.size()
                        + " private keys; the server needs exactly one");
            }
            // one entry under our alias, so Jetty never has to choose among several
            KeyStore one = KeyStore.getInstance("PKCS12");
            one.load(null, null);
            one.setKeyEntry(ALIAS, ks.getKey(keys.get(0), pw.toCharArray()), pw.toCharArray(),
                    ks.getCertificateChain(keys.get(0)));
            return new TlsMaterial(one, pw);
        } catch (GeneralSecurityException | IOException e) {
            throw new HttpSetupException("cannot read the private key in the PKCS#12 file " + storeFile
                    + " (its key password must be the store's): " + e.getClass().getSimpleName());
        }
    }

    /** The first line of a password file, without its line end. */
    static String passwordFrom(String text, Path file) {
        int end = text.indexOf('\n');
        String line = end < 0 ? text : text.substring(0, end);
        if (line.endsWith("\r")) {
            line = line.substring(0, line.length() - 1);
        }
        if (line.isEmpty()) {
            throw new HttpSetupException("the password file " + file + " is empty (its first line is the password)");
        }
        return line;
    }

    /** The X.509 certificates of a PEM file, in file order. */
    static List<X509Certificate> certificates(String pem, Path file) {
        List<X509Certificate> chain = new ArrayList<>();
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            for (Block b : blocks(pem)) {
                if (!b.label().equals("CERTIFICATE")) {
                    throw new HttpSetupException(file + " holds a '" + b.label() + "' block; the certificate chain "
                            + "file holds only CERTIFICATE blocks, the server's first");
                }
                chain.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(b.der())));
            }
        } catch (CertificateException | IllegalArgumentException e) {
            throw new HttpSetupException(file + " is not a readable PEM certificate chain: " + e.getMessage());
        }
        if (chain.isEmpty()) {
            throw new HttpSetupException(file + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        return chain;
    }

    /**
     * The private key of a PEM file: exactly one unencrypted PKCS#8 block, of the certificate's key
     * type, that signs what the certificate's public key verifies.
     */
    static PrivateKey privateKey(String pem, Path file, X509Certificate cert) {
        List<Block> blocks = blocks(pem);
        if (blocks.size() != 1) {
            throw new HttpSetupException(file + " holds " + blocks.size() + " PEM blocks; the key file holds exactly "
                    + "one (-----BEGIN PRIVATE KEY-----)");
        }
        Block b = blocks.get(0);
        switch (b.label()) {
            case "PRIVATE KEY" -> {
            }
            case "RSA PRIVATE KEY", "EC PRIVATE KEY" -> throw new HttpSetupException(file + " is a traditional ("
                    + (b.label().startsWith("RSA") ? "PKCS#1" : "SEC1") + ") key; convert it to PKCS#8: "
                    + "openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pkcs8.pem");
            case "ENCRYPTED PRIVATE KEY" -> throw new HttpSetupException(file + " is encrypted; give an unencrypted "
                    + "PKCS#8 key readable only by the agent (openssl pkcs8 -in KEY -out PLAIN.pem), or a PKCS#12 "
                    + "file with a password file");
            default -> throw new HttpSetupException(file + " holds a '" + b.label() + "' block, not a PRIVATE KEY");
        }
        String algorithm = cert.getPublicKey().getAlgorithm();
        PrivateKey key;
        try {
            key = KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(b.der()));
        } catch (GeneralSecurityException e) {
            throw new HttpSetupException(file + " is not a PKCS#8 " + algorithm + " private key (the certificate's "
                    + "key type): " + e.getClass().getSimpleName());
        }
        if (!belongsTo(key, cert)) {
            throw new HttpSetupException("the private key in " + file + " does not belong to the first certificate "
                    + "of the chain (" + cert.getSubjectX500Principal().getName() + ")");
        }
        return key;
    }

    /** Whether the key signs what the certificate's public key verifies: the pair belongs together. */
    private static boolean belongsTo(PrivateKey key, X509Certificate cert) {
        String alg = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "RSASSA-PSS" -> "RSASSA-PSS";
            default -> key.getAlgorithm(); // EdDSA, Ed25519, Ed448 name their own signature
        };
        try {
            byte[] probe = new byte[32];
            new SecureRandom().nextBytes(probe);
            Signature s = Signature.getInstance(alg);
            if (alg.equals("RSASSA-PSS")) {
                s.setParameter(new java.security.spec.PSSParameterSpec("SHA-256", "MGF1",
                        java.security.spec.MGF1ParameterSpec.SHA256, 32, 1));
            }
            s.initSign(key);
            s.update(probe);
            byte[] sig = s.sign();
            Signature v = Signature.getInstance(alg);
            if (alg.equals("RSASSA-PSS")) {
                v.setParameter(new java.security.spec.PSSParameterSpec("SHA-256", "MGF1",
                        java.security.spec.MGF1ParameterSpec.SHA256, 32, 1));
            }
            v.initVerify(cert.getPublicKey());
            v.update(probe);
            return v.verify(sig);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    record Block(String label, byte[] der) {
    }

    /** The PEM blocks of a text (RFC 7468): label and decoded body; text outside blocks is ignored. */
    static List<Block> blocks(String pem) {
        List<Block> out = new ArrayList<>();
        Matcher m = PEM_BLOCK.matcher(pem);
        while (m.find()) {
            byte[] der;
            try {
                der = Base64.getMimeDecoder().decode(m.group(2).replaceAll("\\s", ""));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("a " + m.group(1) + " block is not base64");
            }
            out.add(new Block(m.group(1), der));
        }
        return out;
    }

    private static String read(Path file, String what) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new HttpSetupException("cannot read the " + what + " file " + file + ": "
                    + e.getClass().getSimpleName());
        }
    }

    private static char[] randomPassword() {
        byte[] b = new byte[24];
        new SecureRandom().nextBytes(b);
        return Base64.getEncoder().withoutPadding().encodeToString(b).toCharArray();
    }

    private void warnAboutValidity() {
        try {
            Certificate c = keyStore.getCertificate(ALIAS);
            if (c instanceof X509Certificate x) {
                Instant now = Instant.now();
                if (x.getNotAfter().toInstant().isBefore(now)) {
                    LOG.warning("the server certificate (" + x.getSubjectX500Principal().getName() + ") expired on "
                            + x.getNotAfter().toInstant() + ": clients will refuse it");
                } else if (x.getNotBefore().toInstant().isAfter(now)) {
                    LOG.warning("the server certificate (" + x.getSubjectX500Principal().getName()
                            + ") is not valid before " + x.getNotBefore().toInstant());
                }
            }
        } catch (GeneralSecurityException e) {
            // the store was just built and holds the entry: nothing to warn about
        }
    }
}
