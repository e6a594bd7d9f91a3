package orrery.model.messaging;

/**
 * The JetStream API subjects Orrery's clients call, for permission lists. A JetStream call is a
 * core NATS request to {@code $JS.API.<what>}, so what a user may do to streams and consumers is
 * what it may publish there.
 *
 * <p>What jnats 2.25 sends to a server of 2.9 or newer (Debian ships 2.9.10): a named consumer
 * with one filter subject is created on {@code $JS.API.CONSUMER.CREATE.<stream>.<name>.<filter>};
 * the server refuses the request when the filter in the body is not the one in the subject, so
 * permission on that subject is permission to read that filter. The older forms
 * ({@code CONSUMER.CREATE.<stream>} for ephemeral consumers, {@code CONSUMER.DURABLE.CREATE.<stream>.<name>})
 * and the filterless {@code CONSUMER.CREATE.<stream>.<name>} carry the filter only in the body:
 * a user given one of them can read any subject of the stream. Messages of a pull consumer are
 * fetched with {@code CONSUMER.MSG.NEXT.<stream>.<name>} and delivered to the requester's inbox;
 * they are acknowledged by publishing to {@code $JS.ACK.<stream>.<name>.<...>}.
 */
public final class JetStreamApi {

    public static final String PREFIX = "$JS.API.";
    /** Account information ({@code JetStreamManagement.getAccountStatistics}). */
    public static final String INFO = PREFIX + "INFO";
    /** The names of the streams, optionally those holding a subject (looked up by {@code JetStream.subscribe}). */
    public static final String STREAM_NAMES = PREFIX + "STREAM.NAMES";
    /** Acknowledgements (ack, nak, term, in-progress) of delivered messages. */
    public static final String ACK_PREFIX = "$JS.ACK.";
    /** Flow-control replies of push consumers (key-value watchers). */
    public static final String FLOW_CONTROL_PREFIX = "$JS.FC.";

    private JetStreamApi() {
    }

    public static String streamInfo(String stream) {
        return PREFIX + "STREAM.INFO." + stream;
    }

    public static String streamCreate(String stream) {
        return PREFIX + "STREAM.CREATE." + stream;
    }

    public static String streamUpdate(String stream) {
        return PREFIX + "STREAM.UPDATE." + stream;
    }

    public static String streamDelete(String stream) {
        return PREFIX + "STREAM.DELETE." + stream;
    }

    public static String streamPurge(String stream) {
        return PREFIX + "STREAM.PURGE." + stream;
    }

    /** Reads one message of a stream by sequence or subject. */
    public static String streamMessageGet(String stream) {
        return PREFIX + "STREAM.MSG.GET." + stream;
    }

    /** Deletes one message of a stream. */
    public static String streamMessageDelete(String stream) {
        return PREFIX + "STREAM.MSG.DELETE." + stream;
    }

    /** Reads messages of a stream that allows direct gets (key-value buckets do). */
    public static String directGet(String stream) {
        return PREFIX + "DIRECT.GET." + stream;
    }

    /** Creates or updates the consumer {@code name} filtering on {@code filter} (NATS 2.9 and newer). */
    public static String consumerCreate(String stream, String name, String filter) {
        return PREFIX + "CONSUMER.CREATE." + stream + "." + name + "." + filter;
    }

    /** Creates or updates a consumer whose filters are only in the request body: any subject of the stream. */
    public static String consumerCreateUnfiltered(String stream, String name) {
        return PREFIX + "CONSUMER.CREATE." + stream + "." + name;
    }

    /** The pre-2.9 form for ephemeral consumers: the filter is only in the body. */
    public static String consumerCreateLegacy(String stream) {
        return PREFIX + "CONSUMER.CREATE." + stream;
    }

    /** The pre-2.9 form for durable consumers: the filter is only in the body. */
    public static String consumerCreateDurableLegacy(String stream, String name) {
        return PREFIX + "CONSUMER.DURABLE.CREATE." + stream + "." + name;
    }

    public static String consumerInfo(String stream, String name) {
        return PREFIX + "CONSUMER.INFO." + stream + "." + name;
    }

    public static String consumerDelete(String stream, String name) {
        return PREFIX + "CONSUMER.DELETE." + stream + "." + name;
    }

    public static String consumerNames(String stream) {
        return PREFIX + "CONSUMER.NAMES." + stream;
    }

    public static String consumerList(String stream) {
        return PREFIX + "CONSUMER.LIST." + stream;
    }

    /** Pulls the next messages of a pull consumer. */
    public static String consumerNext(String stream, String name) {
        return PREFIX + "CONSUMER.MSG.NEXT." + stream + "." + name;
    }

    /** Every acknowledgement subject of messages delivered by {@code consumer} of {@code stream}. */
    public static String acks(String stream, String consumer) {
        return ACK_PREFIX + stream + "." + consumer + ".>";
    }
}
