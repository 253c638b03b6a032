package io.hostdev.exporters.libvirt;

import org.w3c.dom.Attr;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * The content of an XML document by path, order ignored: every element path
 * ({@code /device/capability[@type='pci']/domain}) and attribute path
 * ({@code /device/capability[@type='pci']/iommuGroup/@number}) with the values found there, sorted.
 * An element with child elements has the value {@link #PARENT}. The attributes that say which kind
 * of element it is ({@code type}, {@code validity}, {@code access}) are part of the element's path
 * instead, so a VF address and an IOMMU member address are told apart.
 */
final class ElementPaths {

    static final String PARENT = "(elements)";
    private static final Set<String> DISCRIMINATORS = Set.of("type", "validity", "access");

    /** Path → its values, sorted. */
    final TreeMap<String, List<String>> values = new TreeMap<>();

    static ElementPaths of(String xml) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Element root = f.newDocumentBuilder().parse(new InputSource(new StringReader(xml))).getDocumentElement();
            ElementPaths paths = new ElementPaths();
            paths.walk(root, "");
            paths.values.values().forEach(v -> v.sort(null));
            return paths;
        } catch (Exception e) {
            throw new IllegalArgumentException("not XML: " + e.getMessage(), e);
        }
    }

    private void walk(Element e, String parent) {
        StringBuilder path = new StringBuilder(parent).append('/').append(e.getTagName());
        NamedNodeMap attrs = e.getAttributes();
        List<Attr> attributes = new ArrayList<>();
        for (int i = 0; i < attrs.getLength(); i++) {
            Attr a = (Attr) attrs.item(i);
            if (DISCRIMINATORS.contains(a.getName())) {
                path.append("[@").append(a.getName()).append("='").append(a.getValue()).append("']");
            } else {
                attributes.add(a);
            }
        }
        List<Element> kids = new ArrayList<>();
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element k) {
                kids.add(k);
            }
        }
        String p = path.toString();
        add(p, kids.isEmpty() ? e.getTextContent().strip() : PARENT);
        attributes.forEach(a -> add(p + "/@" + a.getName(), a.getValue()));
        kids.forEach(k -> walk(k, p));
    }

    private void add(String path, String value) {
        values.computeIfAbsent(path, k -> new ArrayList<>()).add(value);
    }

    /**
     * The parent of an element or attribute path: {@code /a/b/@c} → {@code /a/b},
     * {@code /a/b[@type='x/y']} → {@code /a}; empty for the root element.
     */
    static String parentOf(String path) {
        int depth = 0;
        for (int i = path.length() - 1; i > 0; i--) {
            char c = path.charAt(i);
            if (c == ']') {
                depth++;
            } else if (c == '[') {
                depth--;
            } else if (c == '/' && depth == 0) {
                return path.substring(0, i);
            }
        }
        return "";
    }
}
