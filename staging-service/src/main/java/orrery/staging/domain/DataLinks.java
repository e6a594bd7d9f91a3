package orrery.staging.domain;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads an IVOA DataLink response (a VOTable whose columns include {@code access_url},
 * {@code semantics} and {@code error_message}) for the file it describes: the first row whose
 * semantics is {@code #this} with an access_url and no error. Only the TABLEDATA serialisation is
 * read; the parser reads no DTD and no external entity.
 */
public final class DataLinks {

    private DataLinks() {
    }

    /** The {@code #this} row's access_url, or why there is none. */
    public static String thisAccessUrl(byte[] votable) {
        List<String> fields = new ArrayList<>();
        List<String> row = null;
        StringBuilder cell = null;
        String errors = null;
        try {
            XMLStreamReader xml = factory().createXMLStreamReader(new ByteArrayInputStream(votable));
            while (xml.hasNext()) {
                int event = xml.next();
                if (event == XMLStreamConstants.START_ELEMENT) {
                    switch (xml.getLocalName()) {
                        case "FIELD" -> fields.add(String.valueOf(xml.getAttributeValue(null, "name")));
                        case "TR" -> row = new ArrayList<>();
                        case "TD" -> cell = new StringBuilder();
                        case "BINARY", "BINARY2", "FITS" -> throw new IllegalArgumentException("the DataLink response is "
                                + "not in TABLEDATA, the only serialisation read here");
                        default -> { }
                    }
                } else if (event == XMLStreamConstants.CHARACTERS || event == XMLStreamConstants.CDATA) {
                    if (cell != null) {
                        cell.append(xml.getText());
                    }
                } else if (event == XMLStreamConstants.END_ELEMENT) {
                    if ("TD".equals(xml.getLocalName()) && row != null && cell != null) {
                        row.add(cell.toString().strip());
                        cell = null;
                    } else if ("TR".equals(xml.getLocalName()) && row != null) {
                        String url = value(fields, row, "access_url");
                        String error = value(fields, row, "error_message");
                        if ("#this".equals(value(fields, row, "semantics"))) {
                            if (!error.isEmpty()) {
                                errors = error;
                            } else if (!url.isEmpty()) {
                                return url;
                            }
                        }
                        row = null;
                    }
                }
            }
        } catch (XMLStreamException e) {
            throw new IllegalArgumentException("the DataLink response is not a VOTable: " + e.getMessage(), e);
        }
        if (!fields.contains("access_url") || !fields.contains("semantics")) {
            throw new IllegalArgumentException("the DataLink response has no access_url and semantics columns");
        }
        throw new IllegalArgumentException(errors != null ? "the DataLink service says of #this: " + errors
                : "the DataLink response has no #this row with an access_url");
    }

    private static String value(List<String> fields, List<String> row, String name) {
        int index = fields.indexOf(name);
        return index >= 0 && index < row.size() ? row.get(index) : "";
    }

    private static XMLInputFactory factory() {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_COALESCING, true);
        return factory;
    }
}
