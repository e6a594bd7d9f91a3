package orrery.staging.domain;

/** The DataLink response of {@link DataLinksTest}, for other tests. */
public final class DataLinksTestSupport {

    private DataLinksTestSupport() {
    }

    public static String votable(String thisUrl) {
        return DataLinksTest.votable(thisUrl.replace("&", "&amp;"), "");
    }
}
