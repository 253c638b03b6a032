package io.hostdev.probes.host;

import io.hostdev.model.host.Host;
import io.hostdev.probes.HostFiles;
import io.hostdev.probes.Probe;
import io.hostdev.probes.SysfsValues;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The mandatory access control systems active on the host ({@code sysfs.security}), as libvirt's
 * {@code <secmodel>} names them, each with domain of interpretation {@code 0}:
 * <ul>
 *   <li>{@code apparmor}: {@code sys/module/apparmor/parameters/enabled} reads {@code Y}; when that
 *       cannot be read, AppArmor's directory in securityfs, {@code sys/kernel/security/apparmor},
 *       exists (it is created only when AppArmor initialised);</li>
 *   <li>{@code selinux}: {@code sys/fs/selinux/enforce} reads 0 (permissive) or 1 (enforcing),
 *       which it does only where selinuxfs is mounted, i.e. SELinux is enabled (selinuxfs has
 *       no ABI document; its files are described in selinuxfs(5) of the SELinux userspace).</li>
 * </ul>
 * libvirt's own {@code none} and {@code dac} models are properties of its drivers, not of the
 * host, and are not reported.
 */
public final class SecurityProbe implements Probe<List<Host.SecurityModel>> {

    public static final String ID = "sysfs.security";

    /** libvirt reports 0 as the domain of interpretation of both models. */
    static final String DOI = "0";

    @Override
    public String id() {
        return ID;
    }

    /** The models present, sorted by name; empty when none is. */
    @Override
    public List<Host.SecurityModel> probe(HostFiles files) {
        Path sys = files.root().sys();
        String apparmorEnabled = files.read(sys.resolve("module").resolve("apparmor").resolve("parameters")
                .resolve("enabled"));
        boolean apparmor = apparmorEnabled != null ? apparmorEnabled(apparmorEnabled)
                : files.isDirectory(sys.resolve("kernel").resolve("security").resolve("apparmor"));
        boolean selinux = SysfsValues.flag(files.read(sys.resolve("fs").resolve("selinux").resolve("enforce"))) != null;
        return models(apparmor, selinux);
    }

    /** The module parameter prints {@code Y} or {@code N} (a kernel bool parameter). */
    static boolean apparmorEnabled(String raw) {
        return "Y".equals(SysfsValues.text(raw));
    }

    static List<Host.SecurityModel> models(boolean apparmor, boolean selinux) {
        List<Host.SecurityModel> out = new ArrayList<>();
        if (apparmor) {
            out.add(new Host.SecurityModel("apparmor", DOI));
        }
        if (selinux) {
            out.add(new Host.SecurityModel("selinux", DOI));
        }
        return out;
    }
}
