package io.hostdev.probes.virt;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hostdev.model.NaturalOrder;
import io.hostdev.model.host.Guest;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The machine types a QEMU system emulator offers, parsed from its two ways of listing them: the
 * QMP command {@code query-machines} (docs/interop/qemu-qmp-ref, "MachineInfo": {@code name},
 * {@code alias}, {@code is-default}, {@code cpu-max}, {@code deprecated}) and, for emulators
 * without QMP on stdio, the text of {@code -machine help}.
 *
 * <p>Both become libvirt's list: every machine under its own name, and each alias as a machine of
 * its own whose {@code canonical} is the machine it stands for ({@code pc} →
 * {@code pc-i440fx-7.2}); alias and machine share maxCpus and deprecation; only the machine itself
 * carries the default mark. {@code none} (the empty board QEMU offers for probing) is left out, as
 * libvirt does. The list is sorted by name in natural order. The parsers never throw: output they
 * cannot read gives {@code null} (QMP) or the lines they could read (help).
 */
final class MachineTypes {

    /** The id our {@code query-machines} request carries, to find its answer among events. */
    static final String QMP_ID = "hostdev-machines";

    /**
     * What is written to the emulator's QMP monitor: capabilities negotiation, the query, and
     * quit so that it exits by itself.
     */
    static final String QMP_SCRIPT = "{\"execute\":\"qmp_capabilities\"}\n"
            + "{\"execute\":\"query-machines\",\"id\":\"" + QMP_ID + "\"}\n"
            + "{\"execute\":\"quit\"}\n";

    private static final String EMPTY_MACHINE = "none";
    private static final String DEFAULT_MARK = "(default)";
    private static final String DEPRECATED_MARK = "(deprecated)";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A name as QEMU registers machine types: letters, digits, {@code . _ - +}. */
    private static final Pattern HELP_LINE = Pattern.compile("([A-Za-z0-9][A-Za-z0-9._+-]*)(?:\\s+(.*))?");
    private static final Pattern ALIAS_OF = Pattern.compile("\\(alias of ([A-Za-z0-9][A-Za-z0-9._+-]*)\\)$");

    private MachineTypes() {
    }

    /** One machine type as QEMU describes it. */
    record Info(String name, String alias, boolean isDefault, Integer cpuMax, boolean deprecated) {
    }

    /**
     * The machines of the {@code query-machines} answer in QMP output (one JSON object a line, as
     * QEMU writes them on stdio), or {@code null} when there is no successful answer.
     */
    static List<Guest.Machine> parseQmp(String output) {
        if (output == null) {
            return null;
        }
        for (String line : output.split("\n")) {
            JsonNode node = json(line);
            if (node == null || !QMP_ID.equals(node.path("id").asText(null))) {
                continue;
            }
            JsonNode ret = node.get("return");
            if (ret == null || !ret.isArray()) {
                return null;
            }
            List<Info> infos = new ArrayList<>();
            for (JsonNode m : ret) {
                JsonNode name = m.get("name");
                if (name == null || !name.isTextual() || name.asText().isBlank()) {
                    continue;
                }
                JsonNode alias = m.get("alias");
                JsonNode cpuMax = m.get("cpu-max");
                infos.add(new Info(name.asText(), alias != null && alias.isTextual() ? alias.asText() : null,
                        m.path("is-default").asBoolean(false),
                        cpuMax != null && cpuMax.canConvertToInt() && cpuMax.isIntegralNumber() && cpuMax.asInt() > 0
                                ? cpuMax.asInt() : null,
                        m.path("deprecated").asBoolean(false)));
            }
            return machines(infos);
        }
        return null;
    }

    /**
     * The machines of {@code -machine help} output: a header line, then one line a machine,
     * {@code NAME  DESCRIPTION} with optional trailing marks {@code (alias of CANONICAL)},
     * {@code (default)} and {@code (deprecated)}. Lines it cannot read are skipped.
     */
    static List<Guest.Machine> parseHelp(String output) {
        if (output == null) {
            return List.of();
        }
        List<Info> plain = new ArrayList<>();
        Map<String, String> aliases = new LinkedHashMap<>();
        for (String raw : output.split("\n")) {
            String line = raw.stripTrailing();
            // the header ("Supported machines are:") ends in a colon; continuation lines are indented
            if (line.isEmpty() || line.endsWith(":") || Character.isWhitespace(line.charAt(0))) {
                continue;
            }
            Matcher m = HELP_LINE.matcher(line);
            if (!m.matches()) {
                continue;
            }
            String rest = m.group(2) == null ? "" : m.group(2).strip();
            boolean isDefault = false;
            boolean deprecated = false;
            String aliasOf = null;
            for (boolean more = true; more; ) {
                more = false;
                if (rest.endsWith(DEFAULT_MARK)) {
                    isDefault = true;
                    rest = rest.substring(0, rest.length() - DEFAULT_MARK.length()).strip();
                    more = true;
                } else if (rest.endsWith(DEPRECATED_MARK)) {
                    deprecated = true;
                    rest = rest.substring(0, rest.length() - DEPRECATED_MARK.length()).strip();
                    more = true;
                } else {
                    Matcher a = ALIAS_OF.matcher(rest);
                    if (a.find()) {
                        aliasOf = a.group(1);
                        rest = rest.substring(0, a.start()).strip();
                        more = true;
                    }
                }
            }
            if (aliasOf != null) {
                aliases.putIfAbsent(m.group(1), aliasOf);
            } else {
                plain.add(new Info(m.group(1), null, isDefault, null, deprecated));
            }
        }
        Map<String, Info> byName = new LinkedHashMap<>();
        plain.forEach(i -> byName.putIfAbsent(i.name(), i));
        List<Info> infos = new ArrayList<>(plain);
        aliases.forEach((alias, canonical) -> {
            // an alias of a machine the listing omits still names that machine, as in QMP
            Info target = byName.get(canonical);
            infos.add(new Info(canonical, alias, target != null && target.isDefault(), null,
                    target != null && target.deprecated()));
        });
        return machines(infos);
    }

    /** libvirt's list from QEMU's machine types: see the class comment. */
    static List<Guest.Machine> machines(List<Info> infos) {
        Map<String, Guest.Machine> out = new LinkedHashMap<>();
        for (Info i : infos) {
            if (i.name().equals(EMPTY_MACHINE)) {
                continue;
            }
            out.putIfAbsent(i.name(), new Guest.Machine(i.name(), null, i.cpuMax(), i.deprecated(), i.isDefault()));
        }
        for (Info i : infos) {
            if (i.name().equals(EMPTY_MACHINE) || i.alias() == null || i.alias().isBlank()) {
                continue;
            }
            out.putIfAbsent(i.alias(), new Guest.Machine(i.alias(), i.name(), i.cpuMax(), i.deprecated(), false));
        }
        List<Guest.Machine> list = new ArrayList<>(out.values());
        list.sort(Comparator.comparing(Guest.Machine::name, NaturalOrder.INSTANCE));
        return List.copyOf(list);
    }

    private static JsonNode json(String line) {
        String s = line.strip();
        if (!s.startsWith("{")) {
            return null;
        }
        try {
            return JSON.readTree(s);
        } catch (JacksonException | RuntimeException e) {
            // a partial line (the process was killed mid-write) or not JSON at all
            return null;
        }
    }
}
