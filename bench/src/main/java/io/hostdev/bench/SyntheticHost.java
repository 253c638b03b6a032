package io.hostdev.bench;

import io.hostdev.probes.HostRoot;
import io.hostdev.probes.testing.FakeSysfs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a synthetic host of about N devices, laid out as the kernel lays out sysfs: SR-IOV NICs
 * behind PCIe root ports with many VFs (each with its netdev), NVMe controllers with namespaces and
 * partitions, SCSI HBAs with many disks (target, LUN, the class devices a real LUN carries, block
 * device, partitions), veth pairs and bridges, and plain generic devices (CPUs, memory blocks,
 * ttys). Shares: about 40% VF-related, 30% storage, 20% virtual network, 10% generic.
 */
public final class SyntheticHost {

    private final FakeSysfs fs;
    private int count;
    private int iommuGroup;
    private int ifindex = 1;

    private SyntheticHost(Path root) {
        this.fs = new FakeSysfs(root);
    }

    /**
     * Writes the host into a directory for tools that run outside this JVM (bench/agent-bench.sh points
     * {@code hostdev agent --root} at it) and prints the number of devices written.
     *
     * <pre>
     * java ... io.hostdev.bench.SyntheticHost DIR [DEVICES]   (DEVICES: 10000 by default)
     * </pre>
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 1 || args.length > 2) {
            throw new IllegalArgumentException("usage: SyntheticHost DIR [DEVICES]");
        }
        Path root = Path.of(args[0]);
        int devices = args.length == 2 ? Integer.parseInt(args[1]) : 10_000;
        Files.createDirectories(root);
        System.out.println(generate(root, devices));
    }

    /** Generates into {@code root}; returns the number of devices written (the computer not counted). */
    public static int generate(Path root, int devices) throws IOException {
        SyntheticHost h = new SyntheticHost(root);
        h.pciIds();
        h.generic(Math.max(8, devices / 10));
        h.sriovNics(devices * 4 / 10);
        h.storage(devices * 3 / 10);
        h.virtualNet(devices * 2 / 10);
        return h.count;
    }

    private void pciIds() throws IOException {
        Path live = HostRoot.live().resolve("usr/share/misc/pci.ids");
        Path target = fs.root().resolve("usr/share/hwdata/pci.ids");
        Files.createDirectories(target.getParent());
        if (Files.isReadable(live)) {
            // the real database, so name lookup costs what it costs on a real host
            Files.copy(live, target);
        } else {
            Files.writeString(target, "8086  Intel Corporation\n\t1572  Ethernet Controller X710 for 10GbE SFP+\n"
                    + "\t154c  Ethernet Virtual Function 700 Series\n\t1533  I210 Gigabit Network Connection\n"
                    + "144d  Samsung Electronics Co Ltd\n\ta808  NVMe SSD Controller SM981/PM981/PM983\n"
                    + "1000  Broadcom / LSI\n\t0097  SAS3008 PCI-Express Fusion-MPT SAS-3\n"
                    + "C 01  Mass storage controller\n\t08  Non-Volatile memory controller\n"
                    + "C 02  Network controller\n\t00  Ethernet controller\n");
        }
    }

    private void generic(int n) {
        int cpus = Math.min(64, n / 4);
        for (int i = 0; i < cpus; i++) {
            fs.busDevice("system/cpu/cpu" + i, "cpu").attr("online", "1").attr("crash_notes", "8f7c" + i)
                    .attr("crash_notes_size", "368");
            count++;
        }
        int ttys = Math.min(64, n / 4);
        for (int i = 0; i < ttys; i++) {
            fs.classDevice("virtual/tty/tty" + i, "tty").uevent("MAJOR=4", "MINOR=" + i, "DEVNAME=tty" + i)
                    .attr("dev", "4:" + i);
            count++;
        }
        for (int i = 0; count < n; i++) {
            fs.busDevice("system/memory/memory" + i, "memory").uevent("MODALIAS=memory:" + i)
                    .attr("online", "1").attr("phys_index", String.format("%08x", i)).attr("state", "online")
                    .attr("removable", "0").attr("valid_zones", "Normal").attr("phys_device", "0");
            count++;
        }
    }

    private FakeSysfs.Dev pci(String path, String addr, String vendor, String device, String cls, String driver,
                              int numa, boolean link) {
        FakeSysfs.Dev d = fs.busDevice(path, "pci")
                .uevent("PCI_CLASS=" + Integer.toHexString(Integer.parseInt(cls.substring(2), 16)),
                        "PCI_ID=" + vendor.substring(2).toUpperCase() + ":" + device.substring(2).toUpperCase(),
                        "PCI_SUBSYS_ID=" + vendor.substring(2).toUpperCase() + ":0000",
                        "PCI_SLOT_NAME=" + addr,
                        "MODALIAS=pci:v0000" + vendor.substring(2).toUpperCase() + "d0000"
                                + device.substring(2).toUpperCase() + "sv00008086sd00000000bc02sc00i00")
                .attr("vendor", vendor).attr("device", device).attr("class", cls)
                .attr("subsystem_vendor", vendor).attr("subsystem_device", "0x0000").attr("revision", "0x02")
                .attr("numa_node", Integer.toString(numa)).attr("enable", "1").attr("irq", "0")
                .attr("local_cpulist", numa == 0 ? "0-31" : "32-63").attr("dma_mask_bits", "64")
                .attr("resource", "0x00000000f0000000 0x00000000f00fffff 0x0000000000140204\n"
                        + "0x0000000000000000 0x0000000000000000 0x0000000000000000\n"
                        + "0x000000000000e000 0x000000000000e01f 0x0000000000040101");
        if (link) {
            d.attr("max_link_speed", "8.0 GT/s PCIe").attr("max_link_width", "8")
                    .attr("current_link_speed", "8.0 GT/s PCIe").attr("current_link_width", "8");
        }
        if (driver != null) {
            d.driver("pci", driver);
        }
        int group = iommuGroup++;
        fs.symlink("sys/kernel/iommu_groups/" + group + "/devices/" + addr,
                "../../../../devices/" + path);
        d.link("iommu_group", "sys/kernel/iommu_groups/" + group);
        count++;
        return d;
    }

    private FakeSysfs.Dev net(String path, String iface, String mac, int iflink, String... extraUevent) {
        int idx = ifindex++;
        FakeSysfs.Dev d = fs.classDevice(path, "net").uevent("INTERFACE=" + iface, "IFINDEX=" + idx)
                .uevent(extraUevent)
                .attr("address", mac).attr("mtu", "1500").attr("operstate", "up").attr("speed", "10000")
                .attr("ifindex", Integer.toString(idx)).attr("iflink", Integer.toString(iflink < 0 ? idx : iflink))
                .attr("type", "1").attr("carrier", "1").attr("addr_len", "6").attr("tx_queue_len", "1000");
        count++;
        return d;
    }

    private void sriovNics(int budget) {
        int nic = 0;
        while (budget > 4 && nic < 0xf0) {
            int bus = 0x10 + nic;
            String port = String.format("0000:00:%02x.%x", 1 + nic / 8, nic % 8);
            String portPath = "pci0000:00/" + port;
            pci(portPath, port, "0x8086", "0x2030", "0x060400", "pcieport", 0, true);
            String pf = String.format("0000:%02x:00.0", bus);
            String pfPath = portPath + "/" + pf;
            int vfs = Math.min(64, (budget - 3) / 2);
            FakeSysfs.Dev pfDev = pci(pfPath, pf, "0x8086", "0x1572", "0x020000", "i40e", nic % 2, true)
                    .attr("sriov_totalvfs", "64").attr("sriov_numvfs", Integer.toString(vfs));
            net(pfPath + "/net/ens" + bus + "f0", "ens" + bus + "f0", mac(bus, 0), -1);
            budget -= 3;
            for (int v = 0; v < vfs; v++) {
                String vf = String.format("0000:%02x:%02x.%x", bus, 2 + v / 8, v % 8);
                String vfPath = portPath + "/" + vf;
                pci(vfPath, vf, "0x8086", "0x154c", "0x020000", v % 4 == 0 ? "vfio-pci" : "iavf", nic % 2, false)
                        .link("physfn", "sys/devices/" + pfPath);
                pfDev.link("virtfn" + v, "sys/devices/" + vfPath);
                if (v % 4 != 0) {
                    net(vfPath + "/net/ens" + bus + "f0v" + v, "ens" + bus + "f0v" + v, mac(bus, v + 1), -1);
                    budget--;
                }
                budget--;
            }
            nic++;
        }
    }

    private void storage(int budget) {
        int nvmeBudget = budget / 2;
        int ctrl = 0;
        int blockMinor = 0;
        while (nvmeBudget > 0) {
            String addr = String.format("0000:%02x:00.0", 0x80 + ctrl);
            String path = "pci0000:80/" + addr;
            pci(path, addr, "0x144d", "0xa808", "0x010802", "nvme", 1, true);
            String ctrlPath = path + "/nvme/nvme" + ctrl;
            fs.classDevice(ctrlPath, "nvme").uevent("MAJOR=240", "MINOR=" + ctrl, "DEVNAME=nvme" + ctrl)
                    .attr("model", "SAMSUNG MZQLB1T9HAJR-00007").attr("serial", "S439NA0M" + ctrl)
                    .attr("firmware_rev", "EDA5502Q").attr("state", "live");
            count++;
            nvmeBudget -= 2;
            for (int ns = 1; ns <= 4 && nvmeBudget > 0; ns++) {
                String name = "nvme" + ctrl + "n" + ns;
                String nsPath = ctrlPath + "/" + name;
                block(nsPath, name, "disk", 259, blockMinor++).attr("wwid", "eui.0025388b9100" + ctrl + ns)
                        .attr("nsid", Integer.toString(ns)).attr("queue/rotational", "0");
                nvmeBudget--;
                for (int p = 1; p <= 2 && nvmeBudget > 0; p++) {
                    block(nsPath + "/" + name + "p" + p, name + "p" + p, "partition", 259, blockMinor++)
                            .attr("partition", Integer.toString(p)).attr("start", Integer.toString(2048 * p));
                    nvmeBudget--;
                }
            }
            ctrl++;
        }
        int scsiBudget = budget - budget / 2;
        int host = 0;
        int sdIndex = 0;
        while (scsiBudget > 0) {
            String addr = String.format("0000:%02x:00.0", 0xc0 + host);
            String hbaPath = "pci0000:c0/" + addr;
            pci(hbaPath, addr, "0x1000", "0x0097", "0x010700", "mpt3sas", 1, true);
            String hostPath = hbaPath + "/host" + host;
            fs.busDevice(hostPath, "scsi").uevent("DEVTYPE=scsi_host");
            fs.classDevice(hostPath + "/scsi_host/host" + host, "scsi_host").attr("proc_name", "mpt3sas")
                    .attr("unique_id", Integer.toString(host + 1));
            count += 2;
            scsiBudget -= 3;
            for (int t = 0; t < 200 && scsiBudget > 0; t++) {
                String target = "target" + host + ":0:" + t;
                String targetPath = hostPath + "/port-" + host + ":" + t + "/end_device-" + host + ":" + t + "/"
                        + target;
                fs.busDevice(targetPath, "scsi").uevent("DEVTYPE=scsi_target");
                String hctl = host + ":0:" + t + ":0";
                String lunPath = targetPath + "/" + hctl;
                fs.busDevice(lunPath, "scsi").uevent("DEVTYPE=scsi_device", "DRIVER=sd")
                        .attr("type", "0").attr("vendor", "SEAGATE ").attr("model", "ST4000NM0025    ")
                        .attr("rev", "E003").attr("wwid", "naa.5000c500a" + String.format("%07x", sdIndex))
                        .rawAttr("vpd_pg80", vpd80("ZC1" + String.format("%05d", sdIndex)));
                fs.classDevice(lunPath + "/scsi_disk/" + hctl, "scsi_disk");
                fs.classDevice(lunPath + "/scsi_device/" + hctl, "scsi_device");
                fs.classDevice(lunPath + "/bsg/" + hctl, "bsg").uevent("MAJOR=247", "MINOR=" + sdIndex,
                        "DEVNAME=bsg/" + hctl);
                fs.classDevice(lunPath + "/scsi_generic/sg" + sdIndex, "scsi_generic").uevent("MAJOR=21",
                        "MINOR=" + sdIndex, "DEVNAME=sg" + sdIndex);
                count += 6;
                String sd = "sd" + letters(sdIndex);
                block(lunPath + "/block/" + sd, sd, "disk", 8, sdIndex * 16).attr("queue/rotational", "1");
                scsiBudget -= 7;
                for (int p = 1; p <= 3 && scsiBudget > 0; p++) {
                    block(lunPath + "/block/" + sd + "/" + sd + p, sd + p, "partition", 8, sdIndex * 16 + p)
                            .attr("partition", Integer.toString(p)).attr("start", Integer.toString(2048 * p));
                    scsiBudget--;
                }
                sdIndex++;
            }
            host++;
        }
    }

    private FakeSysfs.Dev block(String path, String name, String devtype, int major, int minor) {
        FakeSysfs.Dev d = fs.classDevice(path, "block").uevent("MAJOR=" + major, "MINOR=" + minor,
                "DEVNAME=" + name, "DEVTYPE=" + devtype)
                .attr("size", "7814037168").attr("ro", "0").attr("removable", "0")
                .attr("dev", major + ":" + minor).attr("stat", "0 0 0 0 0 0 0 0 0 0 0");
        if ("disk".equals(devtype)) {
            d.attr("queue/logical_block_size", "512").attr("queue/physical_block_size", "4096");
        }
        count++;
        return d;
    }

    private void virtualNet(int budget) {
        int i = 0;
        while (budget > 1) {
            if (i % 10 == 9) {
                String br = "br" + i;
                net("virtual/net/" + br, br, mac(0xfe, i), -1, "DEVTYPE=bridge").attr("bridge/stp_state", "0");
                budget--;
            } else {
                int ia = ifindex;
                net("virtual/net/veth" + i + "a", "veth" + i + "a", mac(0xfd, 2 * i), ia + 1);
                net("virtual/net/veth" + i + "b", "veth" + i + "b", mac(0xfd, 2 * i + 1), ia);
                budget -= 2;
            }
            i++;
        }
    }

    private static String mac(int a, int b) {
        return String.format("02:%02x:%02x:%02x:00:01", a & 0xff, (b >> 8) & 0xff, b & 0xff);
    }

    private static String letters(int i) {
        StringBuilder sb = new StringBuilder();
        int n = i;
        do {
            sb.insert(0, (char) ('a' + n % 26));
            n = n / 26 - 1;
        } while (n >= 0);
        return sb.toString();
    }

    private static byte[] vpd80(String serial) {
        byte[] s = serial.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] out = new byte[4 + s.length];
        out[1] = (byte) 0x80;
        out[3] = (byte) s.length;
        System.arraycopy(s, 0, out, 4, s.length);
        return out;
    }
}
