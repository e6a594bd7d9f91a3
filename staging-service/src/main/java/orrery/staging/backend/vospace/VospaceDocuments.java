package orrery.staging.backend.vospace;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * The VOSpace 2.1 XML documents Orrery writes and reads: ContainerNode creation, node
 * properties, and transfer negotiation. Parsing refuses DTDs and external entities.
 */
public final class VospaceDocuments {

    static final String NS = "http://www.ivoa.net/xml/VOSpace/v2.0";
    static final String XSI = "http://www.w3.org/2001/XMLSchema-instance";
    static final String LENGTH = "ivo://ivoa.net/vospace/core#length";
    static final String MD5 = "ivo://ivoa.net/vospace/core#MD5";
    static final String HTTPS_PUT = "ivo://ivoa.net/vospace/core#httpsput";
    static final String HTTPS_GET = "ivo://ivoa.net/vospace/core#httpsget";
    static final String TOKEN_SECURITY = "ivo://ivoa.net/sso#token";

    /** A node's type and, for data nodes, its server-computed length and MD5. */
    public record NodeInfo(String type, Long length, String md5) {
        boolean isContainer() {
            return type != null && type.endsWith("ContainerNode");
        }

        /** A data node that negotiation created but no upload filled: nothing is really there. */
        boolean isEmptyPlaceholder() {
            return !isContainer() && (length == null || length == 0) && md5 == null;
        }
    }

    /** One endpoint offered by a transfer negotiation. */
    public record Endpoint(String url, boolean needsToken) {
    }

    private VospaceDocuments() {
    }

    static String containerNode(String vosUri) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<vos:node xmlns:vos=\"" + NS + "\" xmlns:xsi=\"" + XSI + "\" uri=\"" + escape(vosUri)
                + "\" xsi:type=\"vos:ContainerNode\">\n"
                + "  <vos:properties />\n"
                + "  <vos:nodes />\n"
                + "</vos:node>\n";
    }

    static String transfer(String vosUri, String direction, String protocol) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<vos:transfer xmlns:vos=\"" + NS + "\" version=\"2.1\">\n"
                + "  <vos:target>" + escape(vosUri) + "</vos:target>\n"
                + "  <vos:direction>" + direction + "</vos:direction>\n"
                + "  <vos:protocol uri=\"" + protocol + "\" />\n"
                + "  <vos:protocol uri=\"" + protocol + "\">\n"
                + "    <vos:securityMethod uri=\"" + TOKEN_SECURITY + "\" />\n"
                + "  </vos:protocol>\n"
                + "  <vos:keepBytes>true</vos:keepBytes>\n"
                + "</vos:transfer>\n";
    }

    static NodeInfo node(byte[] xml) throws IOException {
        Element root = parse(xml).getDocumentElement();
        String type = root.getAttributeNS(XSI, "type");
        Long length = null;
        String md5 = null;
        NodeList properties = root.getElementsByTagNameNS(NS, "property");
        for (int i = 0; i < properties.getLength(); i++) {
            Element property = (Element) properties.item(i);
            String uri = property.getAttribute("uri");
            String value = property.getTextContent().trim();
            if (LENGTH.equals(uri) && !value.isEmpty()) {
                try {
                    length = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    throw new IOException("VOSpace reported a length that is not a number: " + value);
                }
            } else if (MD5.equals(uri) && !value.isEmpty()) {
                // Some deployments store "md5:<hex>"; the value is the hex digest either way.
                md5 = value.toLowerCase(Locale.ROOT).replaceFirst("^md5:", "");
            }
        }
        return new NodeInfo(type, length, md5);
    }

    static List<Endpoint> endpoints(byte[] xml) throws IOException {
        Element root = parse(xml).getDocumentElement();
        List<Endpoint> endpoints = new ArrayList<>();
        NodeList protocols = root.getElementsByTagNameNS(NS, "protocol");
        for (int i = 0; i < protocols.getLength(); i++) {
            Element protocol = (Element) protocols.item(i);
            NodeList urls = protocol.getElementsByTagNameNS(NS, "endpoint");
            boolean token = protocol.getElementsByTagNameNS(NS, "securityMethod").getLength() > 0;
            for (int j = 0; j < urls.getLength(); j++) {
                endpoints.add(new Endpoint(urls.item(j).getTextContent().trim(), token));
            }
        }
        return endpoints;
    }

    private static Document parse(byte[] xml) throws IOException {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            return builder.parse(new ByteArrayInputStream(xml));
        } catch (ParserConfigurationException | SAXException e) {
            throw new IOException("VOSpace sent a document that is not valid XML: " + e.getMessage(), e);
        }
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
