package io.hostdev.agent.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** PEM and PKCS#12 into a key store, and the errors that name the file and the fix. */
class TlsMaterialTest {

    static final String PW = "store-password-1234";

    @TempDir
    Path dir;

    @Test
    void pemBlocksAreFoundWithTheirLabelsAndTextAroundThemIgnored() {
        String pem = "Bag Attributes\n" + TlsFiles.pem("CERTIFICATE", new byte[] {1, 2, 3}) + "junk\n"
                + TlsFiles.pem("PRIVATE KEY", new byte[] {4, 5});
        List<TlsMaterial.Block> blocks = TlsMaterial.blocks(pem);
        assertThat(blocks).extracting(TlsMaterial.Block::label).containsExactly("CERTIFICATE", "PRIVATE KEY");
        assertThat(blocks.get(0).der()).containsExactly(1, 2, 3);
        assertThat(blocks.get(1).der()).containsExactly(4, 5);
    }

    @Test
    void aBlockWithoutItsEndIsNoBlock() {
        assertThat(TlsMaterial.blocks("-----BEGIN CERTIFICATE-----\nAQID\n")).isEmpty();
        assertThat(TlsMaterial.blocks("-----BEGIN CERTIFICATE-----\nAQID\n-----END PRIVATE KEY-----\n")).isEmpty();
    }

    @Test
    void aPemIdentityBecomesOneKeyEntryWithItsChain() throws Exception {
        Path store = TlsFiles.keytoolPkcs12(dir, "s", "RSA", PW);
        Path[] pem = TlsFiles.pemFromPkcs12(store, PW, dir, "s");
        TlsMaterial m = TlsMaterial.fromPem(pem[0], pem[1]);
        KeyStore ks = m.keyStore();
        assertThat(java.util.Collections.list(ks.aliases())).containsExactly(TlsMaterial.ALIAS);
        assertThat(ks.isKeyEntry(TlsMaterial.ALIAS)).isTrue();
        assertThat(((X509Certificate) ks.getCertificate(TlsMaterial.ALIAS)).getSubjectX500Principal().getName())
                .isEqualTo("CN=localhost");
        assertThat(ks.getKey(TlsMaterial.ALIAS, m.password().toCharArray())).isNotNull();
    }

    @Test
    void aPkcs12FileOpensWithThePasswordFromItsFile() throws Exception {
        Path store = TlsFiles.keytoolPkcs12(dir, "s", "EC", PW);
        Path pw = Files.writeString(dir.resolve("pw"), PW + "\r\nsecond line ignored\n");
        TlsMaterial m = TlsMaterial.fromPkcs12(store, pw);
        assertThat(m.keyStore().isKeyEntry(TlsMaterial.ALIAS)).isTrue();
        assertThat(m.password()).isEqualTo(PW);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "RSA PRIVATE KEY|is a traditional (PKCS#1) key; convert it to PKCS#8: openssl pkcs8 -topk8 -nocrypt",
            "EC PRIVATE KEY|is a traditional (SEC1) key; convert it to PKCS#8",
            "ENCRYPTED PRIVATE KEY|is encrypted; give an unencrypted PKCS#8 key",
            "CERTIFICATE|holds a 'CERTIFICATE' block, not a PRIVATE KEY"})
    void keyFilesOfOtherKindsAreRefusedSayingHowToConvertThem(String label, String message) throws Exception {
        Path store = TlsFiles.keytoolPkcs12(dir, "s", "EC", PW);
        Path[] pem = TlsFiles.pemFromPkcs12(store, PW, dir, "s");
        Path key = Files.writeString(dir.resolve("k.pem"), TlsFiles.pem(label, new byte[] {0x30, 0x00}));
        assertThatThrownBy(() -> TlsMaterial.fromPem(pem[0], key)).isInstanceOf(HttpSetupException.class)
                .hasMessageContaining(message);
    }

    @Test
    void aKeyOfAnotherTypeThanTheCertificatesIsRefused() throws Exception {
        Path ec = TlsFiles.keytoolPkcs12(dir, "ec", "EC", PW);
        Path rsa = TlsFiles.keytoolPkcs12(dir, "rsa", "RSA", PW);
        Path[] ecPem = TlsFiles.pemFromPkcs12(ec, PW, dir, "ec");
        Path[] rsaPem = TlsFiles.pemFromPkcs12(rsa, PW, dir, "rsa");
        assertThatThrownBy(() -> TlsMaterial.fromPem(ecPem[0], rsaPem[1])).isInstanceOf(HttpSetupException.class)
                .hasMessageContaining("is not a PKCS#8 EC private key");
    }

    @Test
    void aChainFileWithoutCertificatesIsRefused() throws Exception {
        Path empty = Files.writeString(dir.resolve("chain.pem"), "nothing here\n");
        assertThatThrownBy(() -> TlsMaterial.fromPem(empty, empty)).isInstanceOf(HttpSetupException.class)
                .hasMessageContaining("holds no PEM certificate");
    }

    @Test
    void anEmptyPasswordFileIsRefused() {
        assertThatThrownBy(() -> TlsMaterial.passwordFrom("\nsecond", dir.resolve("pw")))
                .isInstanceOf(HttpSetupException.class).hasMessageContaining("is empty");
        assertThat(TlsMaterial.passwordFrom("pw", dir)).isEqualTo("pw");
    }

    @Test
    void aPkcs12FileWithTwoKeysIsRefused() throws Exception {
        Path store = TlsFiles.keytoolPkcs12(dir, "two", "EC", PW);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(store)) {
            ks.load(in, PW.toCharArray());
        }
        ks.setKeyEntry("second", ks.getKey("server", PW.toCharArray()), PW.toCharArray(),
                ks.getCertificateChain("server"));
        try (var out = Files.newOutputStream(store)) {
            ks.store(out, PW.toCharArray());
        }
        Path pw = Files.writeString(dir.resolve("pw"), PW);
        assertThatThrownBy(() -> TlsMaterial.fromPkcs12(store, pw)).isInstanceOf(HttpSetupException.class)
                .hasMessageContaining("holds 2 private keys");
    }
}
