package io.hostdev.exporters.libvirt.testing;

import com.thaiopensource.util.PropertyMapBuilder;
import com.thaiopensource.validate.Schema;
import com.thaiopensource.validate.ValidateProperty;
import com.thaiopensource.validate.Validator;
import com.thaiopensource.validate.rng.SAXSchemaReader;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.XMLReader;

import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParserFactory;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * libvirt's conformance data ({@code ../shared/conformance/libvirt/libvirt-11.3.0}, next to the
 * checkout, never copied into it) and RELAX NG validation against its schemas with jing. Tests
 * that need the data call {@link #require()}, which skips them with a message when it is absent.
 */
public final class LibvirtSchemas {

    public static final String LIBVIRT = "libvirt/libvirt-11.3.0";
    /** System property naming the conformance directory, for a checkout laid out differently. */
    public static final String PROPERTY = "hostdev.conformance";

    private static final Map<Path, Schema> SCHEMAS = new ConcurrentHashMap<>();

    private LibvirtSchemas() {
    }

    /**
     * The conformance directory: {@code -Dhostdev.conformance=DIR}, else {@code shared/conformance}
     * beside the repository, found by walking up from the working directory (a module directory
     * when Maven runs the tests).
     */
    public static Optional<Path> conformance() {
        String configured = System.getProperty(PROPERTY);
        if (configured != null && !configured.isBlank()) {
            Path p = Path.of(configured);
            return Files.isDirectory(p.resolve(LIBVIRT)) ? Optional.of(p) : Optional.empty();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            for (Path candidate : List.of(dir.resolve("shared/conformance"), dir.resolveSibling("shared/conformance"))) {
                if (dir.getParent() != null && Files.isDirectory(candidate.resolve(LIBVIRT))) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    /** {@code .../libvirt-11.3.0}; skips the calling test when the conformance data is absent. */
    public static Path require() {
        Optional<Path> dir = conformance();
        assumeTrue(dir.isPresent(), "libvirt conformance data (../shared/conformance/" + LIBVIRT
                + ") is absent: skipped");
        return dir.get().resolve(LIBVIRT);
    }

    public static Path schema(String name) {
        return require().resolve("src/conf/schemas").resolve(name);
    }

    /** Validation errors of {@code xml} against libvirt's {@code nodedev.rng}; empty when valid. */
    public static List<String> nodedevErrors(String xml) {
        return errors(schema("nodedev.rng"), xml);
    }

    /** Validation errors of {@code xml} against libvirt's {@code capability.rng}; empty when valid. */
    public static List<String> capabilityErrors(String xml) {
        return errors(schema("capability.rng"), xml);
    }

    public static List<String> errors(Path schemaFile, String xml) {
        Collector errors = new Collector();
        Schema schema = SCHEMAS.computeIfAbsent(schemaFile.toAbsolutePath(), LibvirtSchemas::load);
        PropertyMapBuilder props = new PropertyMapBuilder();
        props.put(ValidateProperty.ERROR_HANDLER, errors);
        Validator validator = schema.createValidator(props.toPropertyMap());
        try {
            SAXParserFactory factory = SAXParserFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            XMLReader reader = factory.newSAXParser().getXMLReader();
            reader.setContentHandler(validator.getContentHandler());
            if (validator.getDTDHandler() != null) {
                reader.setDTDHandler(validator.getDTDHandler());
            }
            reader.setErrorHandler(errors);
            reader.parse(new InputSource(new StringReader(xml)));
        } catch (SAXException e) {
            errors.messages.add("not well-formed: " + e.getMessage());
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return errors.messages;
    }

    private static Schema load(Path file) {
        Collector errors = new Collector();
        PropertyMapBuilder props = new PropertyMapBuilder();
        props.put(ValidateProperty.ERROR_HANDLER, errors);
        try {
            Schema schema = SAXSchemaReader.getInstance().createSchema(new InputSource(file.toUri().toString()),
                    props.toPropertyMap());
            if (!errors.messages.isEmpty()) {
                throw new IllegalStateException("schema " + file + ": " + errors.messages);
            }
            return schema;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SAXException | com.thaiopensource.validate.IncorrectSchemaException e) {
            throw new IllegalStateException("schema " + file + ": " + e.getMessage() + " " + errors.messages, e);
        }
    }

    /**
     * The {@code <device>} elements of a {@code <devices>} listing, each as a document of its own
     * (the wrapper is hostdev's; libvirt's schema describes the documents).
     */
    public static List<String> deviceDocuments(String listing) {
        List<String> out = new ArrayList<>();
        Matcher m = DEVICE.matcher(listing);
        while (m.find()) {
            out.add(m.group(1).replaceAll("(?m)^  ", ""));
        }
        return out;
    }

    private static final Pattern DEVICE = Pattern.compile("(?s)(?<=\\n)(  <device>\\n.*?\\n  </device>\\n)");

    private static final class Collector implements ErrorHandler {
        final List<String> messages = new ArrayList<>();

        @Override
        public void warning(SAXParseException e) {
        }

        @Override
        public void error(SAXParseException e) {
            messages.add("line " + e.getLineNumber() + ": " + e.getMessage());
        }

        @Override
        public void fatalError(SAXParseException e) {
            messages.add("line " + e.getLineNumber() + ": " + e.getMessage());
        }
    }
}
