package io.hostdev.probes.host;

import io.hostdev.model.host.Host.SecurityModel;
import io.hostdev.probes.HostFiles;
import io.hostdev.probes.HostRoot;
import io.hostdev.probes.testing.FakeSysfs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SecurityProbeTest {

    static final String APPARMOR_ENABLED = "sys/module/apparmor/parameters/enabled";

    @TempDir
    Path root;

    List<SecurityModel> probe() {
        return new SecurityProbe().probe(HostFiles.of(HostRoot.of(root)));
    }

    @Test
    void appArmorEnabledByItsModuleParameter() {
        new FakeSysfs(root).file(APPARMOR_ENABLED, "Y\n");
        assertThat(probe()).containsExactly(new SecurityModel("apparmor", "0"));
    }

    @Test
    void appArmorBuiltInButDisabledIsNotAModel() {
        // securityfs keeps no apparmor directory then, but the parameter says it outright
        new FakeSysfs(root).file(APPARMOR_ENABLED, "N\n").dir("sys/kernel/security/apparmor");
        assertThat(probe()).isEmpty();
    }

    @Test
    void withoutTheParameterAppArmorsSecurityfsDirectoryDecides() {
        new FakeSysfs(root).dir("sys/kernel/security/apparmor/policy");
        assertThat(probe()).containsExactly(new SecurityModel("apparmor", "0"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0\n", "1\n"})
    void selinuxPermissiveOrEnforcingIsAModel(String enforce) {
        new FakeSysfs(root).file("sys/fs/selinux/enforce", enforce);
        assertThat(probe()).containsExactly(new SecurityModel("selinux", "0"));
    }

    @Test
    void anUnmountedSelinuxfsIsNoModel() {
        new FakeSysfs(root).dir("sys/fs/selinux");
        assertThat(probe()).isEmpty();
    }

    @Test
    void bothAreListedSortedByName() {
        new FakeSysfs(root).file("sys/fs/selinux/enforce", "1\n").file(APPARMOR_ENABLED, "Y\n");
        assertThat(probe()).extracting(SecurityModel::model).containsExactly("apparmor", "selinux");
    }

    @Test
    void garbageIsNoModel() {
        new FakeSysfs(root).file("sys/fs/selinux/enforce", "yes\n").file(APPARMOR_ENABLED, "maybe\n");
        assertThat(probe()).isEmpty();
    }
}
