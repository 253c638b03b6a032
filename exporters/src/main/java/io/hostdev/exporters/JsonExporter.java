package io.hostdev.exporters;

import io.hostdev.model.Device;
import io.hostdev.model.ModelJson;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON documents: a listing is {@code {"devices": [...], "summary": {...}}}, one device is the
 * device object. Byte-stable, see {@link ModelJson}.
 */
public final class JsonExporter {

    private JsonExporter() {
    }

    public static String devices(List<Device> devices, ListSummary summary) {
        return ModelJson.toJson(listing(devices, summary));
    }

    public static String device(Device device) {
        return ModelJson.toJson(device);
    }

    /** The host capabilities document. */
    public static String capabilities(io.hostdev.model.host.Capabilities caps) {
        return ModelJson.toJson(caps);
    }

    static Map<String, Object> listing(List<Device> devices, ListSummary summary) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("devices", devices);
        if (summary != null) {
            doc.put("summary", summary);
        }
        return doc;
    }
}
