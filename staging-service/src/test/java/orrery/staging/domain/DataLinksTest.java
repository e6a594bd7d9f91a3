package orrery.staging.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DataLinksTest {

    /** A DataLink response as the standard's examples shape it: a preview, the file itself, a cutout service. */
    static String votable(String thisUrl, String thisError) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <VOTABLE xmlns="http://www.ivoa.net/xml/VOTable/v1.3" version="1.3">
                 <RESOURCE type="results">
                  <TABLE>
                   <FIELD name="ID" datatype="char" arraysize="*" ucd="meta.id;meta.main"/>
                   <FIELD name="access_url" datatype="char" arraysize="*" ucd="meta.ref.url"/>
                   <FIELD name="service_def" datatype="char" arraysize="*"/>
                   <FIELD name="error_message" datatype="char" arraysize="*"/>
                   <FIELD name="semantics" datatype="char" arraysize="*"/>
                   <FIELD name="content_type" datatype="char" arraysize="*"/>
                   <FIELD name="content_length" datatype="long" unit="byte"/>
                   <DATA><TABLEDATA>
                    <TR><TD>ivo://example.org/obs?42</TD><TD>https://data.example.org/preview/42.png</TD><TD/><TD/>
                        <TD>#preview</TD><TD>image/png</TD><TD>2048</TD></TR>
                    <TR><TD>ivo://example.org/obs?42</TD><TD>%s</TD><TD/><TD>%s</TD>
                        <TD>#this</TD><TD>application/fits</TD><TD>2880</TD></TR>
                    <TR><TD>ivo://example.org/obs?42</TD><TD/><TD>soda-sync</TD><TD/><TD>#cutout</TD><TD/><TD/></TR>
                   </TABLEDATA></DATA>
                  </TABLE>
                 </RESOURCE>
                </VOTABLE>
                """.formatted(thisUrl, thisError);
    }

    @Test
    void theFileIsTheThisRowsAccessUrl() {
        byte[] document = votable("https://data.example.org/files/42.fits?a=1&amp;b=2", "").getBytes(StandardCharsets.UTF_8);

        assertThat(DataLinks.thisAccessUrl(document)).isEqualTo("https://data.example.org/files/42.fits?a=1&b=2");
    }

    @Test
    void anErrorOnTheThisRowOrNoSuchRowIsSaid() {
        assertThatThrownBy(() -> DataLinks.thisAccessUrl(votable("", "NotFoundFault: no such observation")
                .getBytes(StandardCharsets.UTF_8))).hasMessageContaining("NotFoundFault: no such observation");
        assertThatThrownBy(() -> DataLinks.thisAccessUrl(votable("x", "").replace("#this", "#auxiliary")
                .getBytes(StandardCharsets.UTF_8))).hasMessageContaining("no #this row");
        assertThatThrownBy(() -> DataLinks.thisAccessUrl("<html>not a table".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("not a VOTable");
    }

    @Test
    void anExternalEntityIsNeverRead() {
        String hostile = "<?xml version=\"1.0\"?><!DOCTYPE v [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<VOTABLE><RESOURCE><TABLE><FIELD name=\"access_url\"/><FIELD name=\"semantics\"/>"
                + "<DATA><TABLEDATA><TR><TD>&x;</TD><TD>#this</TD></TR></TABLEDATA></DATA></TABLE></RESOURCE></VOTABLE>";

        assertThatThrownBy(() -> DataLinks.thisAccessUrl(hostile.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("root:");
    }
}
