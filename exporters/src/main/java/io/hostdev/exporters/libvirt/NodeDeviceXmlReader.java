package io.hostdev.exporters.libvirt;

import io.hostdev.model.Device;
import io.hostdev.model.cap.Capability;
import io.hostdev.model.cap.DrmCapability;
import io.hostdev.model.cap.IdName;
import io.hostdev.model.cap.NetCapability;
import io.hostdev.model.cap.PciAddress;
import io.hostdev.model.cap.PciCapability;
import io.hostdev.model.cap.ScsiCapability;
import io.hostdev.model.cap.ScsiGenericCapability;
import io.hostdev.model.cap.ScsiHostCapability;
import io.hostdev.model.cap.ScsiTargetCapability;
import io.hostdev.model.cap.StorageCapability;
import io.hostdev.model.cap.SystemCapability;
import io.hostdev.model.cap.UsbDeviceCapability;
import io.hostdev.model.cap.UsbInterfaceCapability;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads libvirt's node-device XML ({@code virsh nodedev-dumpxml}, libvirt's nodedev.rng) into a
 * {@link Device}: name, path, parent, driver, the {@code dev} device node, and the capabilities and
 * values hostdev's model has. Everything else is left out; docs/libvirt-xml-coverage.md lists what
 * that is for libvirt's own test documents, and a test keeps that list honest.
 *
 * <p>Lenient like the probes: a value that does not parse is absent, a capability without the
 * values its record needs (a PCI address, a SCSI target's numbers) is left out, and a document that
 * is not well-formed XML or has no {@code <device><name>} reads as empty. It never throws on any
 * input, and it never loads DTDs or external entities.
 */
public final class NodeDeviceXmlReader {

    private static final Pattern SCSI_TARGET = Pattern.compile("target(\\d{1,9}):(\\d{1,9}):(\\d{1,9})");
    private static final Pattern DECIMAL = Pattern.compile("\\d{1,18}");
    private static final Pattern HEX = Pattern.compile("(0x)?([0-9a-fA-F]{1,8})");

    private NodeDeviceXmlReader() {
    }

    /** The device the document describes; empty when it is not a node-device document. */
    public static Optional<Device> read(String xml) {
        Element root = parse(xml);
        if (root == null || !root.getTagName().equals("device")) {
            return Optional.empty();
        }
        String name = text(child(root, "name"));
        if (name == null) {
            return Optional.empty();
        }
        List<String> devnodes = new ArrayList<>();
        for (Element e : children(root, "devnode")) {
            if ("dev".equals(e.getAttribute("type")) && text(e) != null) {
                devnodes.add(text(e));
            }
        }
        List<Capability> caps = new ArrayList<>();
        for (Element c : children(root, "capability")) {
            Capability cap = capability(c);
            if (cap != null && caps.stream().noneMatch(x -> x.type().equals(cap.type()))) {
                caps.add(cap);
            }
        }
        return Optional.of(new Device(name, text(child(root, "parent")), text(child(root, "path")), null, null,
                text(child(child(root, "driver"), "name")), devnodes, List.of(), caps));
    }

    static Capability capability(Element c) {
        return switch (c.getAttribute("type")) {
            case "system" -> system(c);
            case "pci" -> pci(c);
            case "usb_device" -> usbDevice(c);
            case "usb" -> usbInterface(c);
            case "net" -> net(c);
            case "scsi_host" -> {
                Integer host = intValue(text(child(c, "host")));
                yield host == null ? null : new ScsiHostCapability(host, longValue(text(child(c, "unique_id"))), null);
            }
            case "scsi_target" -> scsiTarget(c);
            case "scsi" -> scsi(c);
            case "scsi_generic" -> {
                String node = text(child(c, "char"));
                yield node == null ? null : new ScsiGenericCapability(node);
            }
            case "storage" -> storage(c);
            case "drm" -> {
                String kind = text(child(c, "type"));
                yield kind == null ? null : DrmCapability.node(kind);
            }
            default -> null;
        };
    }

    private static SystemCapability system(Element c) {
        Element hw = child(c, "hardware");
        Element fw = child(c, "firmware");
        SystemCapability.Hardware hardware = hw == null ? null : new SystemCapability.Hardware(text(child(hw, "vendor")),
                text(child(hw, "version")), text(child(hw, "serial")), text(child(hw, "uuid")));
        SystemCapability.Firmware firmware = fw == null ? null : new SystemCapability.Firmware(text(child(fw, "vendor")),
                text(child(fw, "version")), text(child(fw, "release_date")));
        return SystemCapability.of(text(child(c, "product")), hardware, firmware);
    }

    private static PciCapability pci(Element c) {
        PciAddress address = pciAddress(intValue(text(child(c, "domain"))), intValue(text(child(c, "bus"))),
                intValue(text(child(c, "slot"))), intValue(text(child(c, "function"))));
        if (address == null) {
            return null;
        }
        String pf = null;
        boolean physical = false;
        Integer maxCount = null;
        List<String> vfs = new ArrayList<>();
        for (Element sub : children(c, "capability")) {
            switch (sub.getAttribute("type")) {
                case "phys_function" -> pf = Optional.ofNullable(address(child(sub, "address")))
                        .map(PciAddress::toString).orElse(null);
                case "virt_functions" -> {
                    physical = true;
                    maxCount = intValue(sub.getAttribute("maxCount"));
                    for (Element a : children(sub, "address")) {
                        Optional.ofNullable(address(a)).ifPresent(vf -> vfs.add(vf.toString()));
                    }
                }
                default -> {
                    // pci-bridge, mdev_types, vpd: not in the model
                }
            }
        }
        PciCapability.Sriov sriov = pf != null || physical ? new PciCapability.Sriov(maxCount, null, vfs, pf) : null;

        PciCapability.IommuGroup group = null;
        Element g = child(c, "iommuGroup");
        Integer number = g == null ? null : intValue(g.getAttribute("number"));
        if (number != null) {
            List<String> members = new ArrayList<>();
            for (Element a : children(g, "address")) {
                Optional.ofNullable(address(a)).ifPresent(m -> members.add(m.toString()));
            }
            group = new PciCapability.IommuGroup(number, members);
        }
        Element numa = child(c, "numa");
        Integer node = numa == null ? null : signedInt(numa.getAttribute("node"));

        PciCapability.Link link = null;
        Element express = child(c, "pci-express");
        if (express != null) {
            PciCapability.LinkState max = null;
            PciCapability.LinkState current = null;
            for (Element l : children(express, "link")) {
                PciCapability.LinkState state = new PciCapability.LinkState(doubleValue(l.getAttribute("speed")),
                        intValue(l.getAttribute("width")));
                if ("cap".equals(l.getAttribute("validity"))) {
                    max = state;
                } else if ("sta".equals(l.getAttribute("validity"))) {
                    current = state;
                }
            }
            link = new PciCapability.Link(max, current);
        }
        IdName product = idName(child(c, "product"));
        IdName vendor = idName(child(c, "vendor"));
        String cls = text(child(c, "class"));
        return new PciCapability(address, vendor, product, null, null,
                cls == null ? null : IdName.of(cls.toLowerCase(Locale.ROOT)), null, group, node, link, sriov,
                List.of(), false);
    }

    private static UsbDeviceCapability usbDevice(Element c) {
        return new UsbDeviceCapability(intValue(text(child(c, "bus"))), intValue(text(child(c, "device"))),
                idName(child(c, "vendor")), idName(child(c, "product")), null, null, null, null);
    }

    private static UsbInterfaceCapability usbInterface(Element c) {
        return new UsbInterfaceCapability(intValue(text(child(c, "number"))), hexByte(text(child(c, "class"))),
                hexByte(text(child(c, "subclass"))), hexByte(text(child(c, "protocol"))),
                text(child(c, "description")));
    }

    private static NetCapability net(Element c) {
        String iface = text(child(c, "interface"));
        if (iface == null) {
            return null;
        }
        Element l = child(c, "link");
        NetCapability.Link link = null;
        if (l != null) {
            String state = l.getAttribute("state").isEmpty() ? null : l.getAttribute("state");
            Long speed = longValue(l.getAttribute("speed"));
            link = state == null && speed == null ? null : new NetCapability.Link(state, speed);
        }
        boolean wireless = children(c, "capability").stream().anyMatch(e -> "80211".equals(e.getAttribute("type")));
        String address = text(child(c, "address"));
        return new NetCapability(iface, address == null ? null : address.toLowerCase(Locale.ROOT), null, null, link,
                wireless ? NetCapability.Kind.WIRELESS : null, null, null, null, null, null, null);
    }

    private static ScsiTargetCapability scsiTarget(Element c) {
        String target = text(child(c, "target"));
        Matcher m = target == null ? null : SCSI_TARGET.matcher(target);
        if (m == null || !m.matches()) {
            return null;
        }
        return new ScsiTargetCapability(target, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                Integer.parseInt(m.group(3)));
    }

    private static ScsiCapability scsi(Element c) {
        Integer host = intValue(text(child(c, "host")));
        Integer bus = intValue(text(child(c, "bus")));
        Integer target = intValue(text(child(c, "target")));
        Long lun = longValue(text(child(c, "lun")));
        if (host == null || bus == null || target == null || lun == null) {
            return null;
        }
        return new ScsiCapability(host, bus, target, lun, null, text(child(c, "type")), null, null, null);
    }

    private static StorageCapability storage(Element c) {
        String block = text(child(c, "block"));
        if (block == null) {
            return null;
        }
        Element removable = null;
        for (Element sub : children(c, "capability")) {
            if ("removable".equals(sub.getAttribute("type"))) {
                removable = sub;
            }
        }
        Element sizes = removable != null ? removable : c;
        Long size = longValue(text(child(sizes, removable != null ? "media_size" : "size")));
        Integer blockSize = intValue(text(child(sizes, "logical_block_size")));
        return new StorageCapability(kind(text(child(c, "drive_type"))), block, size, blockSize,
                removable != null ? Boolean.TRUE : null, null, null, text(child(c, "model")), text(child(c, "vendor")),
                text(child(c, "serial")), null, null, null, null, null, null);
    }

    /** The inverse of {@link NodeDeviceXmlExporter#driveType}; libvirt's floppy, sd and dasd have no kind. */
    static StorageCapability.Kind kind(String driveType) {
        if (driveType == null) {
            return null;
        }
        for (StorageCapability.Kind k : StorageCapability.Kind.values()) {
            if (k != StorageCapability.Kind.NVME_NAMESPACE && driveType.equals(NodeDeviceXmlExporter.driveType(k))) {
                return k;
            }
        }
        return null;
    }

    private static IdName idName(Element e) {
        if (e == null) {
            return null;
        }
        String id = e.getAttribute("id").toLowerCase(Locale.ROOT);
        if (id.isEmpty()) {
            return null;
        }
        return new IdName(id.startsWith("0x") ? id : "0x" + id, text(e));
    }

    private static PciAddress address(Element a) {
        if (a == null) {
            return null;
        }
        return pciAddress(hexValue(a.getAttribute("domain")), hexValue(a.getAttribute("bus")),
                hexValue(a.getAttribute("slot")), hexValue(a.getAttribute("function")));
    }

    private static PciAddress pciAddress(Integer domain, Integer bus, Integer slot, Integer function) {
        if (domain == null || bus == null || slot == null || function == null || bus > 0xff || slot > 0x1f
                || function > 7) {
            return null;
        }
        return new PciAddress(domain, bus, slot, function);
    }

    /** {@code 9} as the {@code 0x09} the model keeps for USB class numbers. */
    private static String hexByte(String decimal) {
        Integer v = intValue(decimal);
        return v == null || v > 0xff ? null : String.format("0x%02x", v);
    }

    static Integer intValue(String s) {
        Long v = longValue(s);
        return v == null || v > Integer.MAX_VALUE ? null : v.intValue();
    }

    private static Integer signedInt(String s) {
        if (s != null && s.startsWith("-")) {
            Integer v = intValue(s.substring(1));
            return v == null ? null : -v;
        }
        return intValue(s);
    }

    static Long longValue(String s) {
        return s == null || !DECIMAL.matcher(s).matches() ? null : Long.parseLong(s);
    }

    private static Integer hexValue(String s) {
        Matcher m = s == null ? null : HEX.matcher(s);
        if (m == null || !m.matches()) {
            return null;
        }
        long v = Long.parseLong(m.group(2), 16);
        return v > Integer.MAX_VALUE ? null : (int) v;
    }

    private static Double doubleValue(String s) {
        if (s == null || !s.matches("\\d{1,6}(\\.\\d{1,6})?")) {
            return null;
        }
        return Double.valueOf(s);
    }

    private static Element parse(String xml) {
        if (xml == null) {
            return null;
        }
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(SILENT);
            return b.parse(new InputSource(new StringReader(xml))).getDocumentElement();
        } catch (ParserConfigurationException | SAXException | IOException | RuntimeException e) {
            return null;
        }
    }

    /** The default handler prints "[Fatal Error]" lines to stderr; errors are reported by the exception alone. */
    private static final ErrorHandler SILENT = new ErrorHandler() {
        @Override
        public void warning(SAXParseException e) {
        }

        @Override
        public void error(SAXParseException e) throws SAXException {
            throw e;
        }

        @Override
        public void fatalError(SAXParseException e) throws SAXException {
            throw e;
        }
    };

    private static Element child(Element parent, String name) {
        if (parent == null) {
            return null;
        }
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e;
            }
        }
        return null;
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                out.add(e);
            }
        }
        return out;
    }

    /** The element's text, surrounding white space removed; null when absent or blank. */
    private static String text(Element e) {
        if (e == null) {
            return null;
        }
        String t = e.getTextContent().strip();
        return t.isEmpty() ? null : t;
    }
}
