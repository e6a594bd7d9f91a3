package orrery.deps.backend.shell;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import orrery.deps.config.ShellBuilderConfig;
import orrery.deps.domain.shell.ShellRule;
import orrery.model.build.HowToReply;
import orrery.model.build.HowToRequest;
import orrery.model.build.RuleAnnouncement;
import orrery.model.envelope.Envelope;
import orrery.model.envelope.EnvelopeCodec;
import orrery.model.envelope.EnvelopeFactory;
import orrery.model.envelope.EnvelopeFormatException;
import orrery.model.messaging.MessageTypes;
import orrery.model.messaging.Subjects;
import org.jboss.logging.Logger;

/**
 * The shell builder's side of the rules protocol: it announces its rules on start-up and
 * whenever asked on {@code rules.discover}, and answers {@code rules.howto} for what it can build.
 *
 * <p>It answers how-to questions only when it can build the artefact, and stays silent
 * otherwise, so that the first answer a manager gets comes from a builder that can; that is
 * why it subscribes with jnats here rather than through {@code NatsRequestReply.serve}, which
 * always answers.
 */
@ApplicationScoped
public class ShellBuilderParticipant {

    private static final Logger LOG = Logger.getLogger(ShellBuilderParticipant.class);

    private final ShellBuilderConfig config;
    private final ShellRules rules;
    private final Connection connection;
    private final EnvelopeCodec codec;
    private final EnvelopeFactory envelopes;
    private Dispatcher dispatcher;

    @Inject
    public ShellBuilderParticipant(ShellBuilderConfig config, ShellRules rules, Connection connection,
                                   EnvelopeCodec codec, EnvelopeFactory envelopes) {
        this.config = config;
        this.rules = rules;
        this.connection = connection;
        this.codec = codec;
        this.envelopes = envelopes;
    }

    void start(@Observes @Priority(30) StartupEvent startup) {
        if (!config.enabled()) {
            return;
        }
        if (rules.roots().isEmpty()) {
            throw new IllegalStateException("the shell builder is enabled but has no roots: set orrery.shell-builder.roots "
                    + "(ORRERY_SHELL_BUILDER_ROOTS) to name=/path[,name=/path]");
        }
        // Refuses, and so stops the start, when the rules file lies inside a root (see ShellRules).
        List<ShellRule> offered = rules.rules();
        makeHome();
        dispatcher = connection.createDispatcher(this::heard);
        dispatcher.subscribe(Subjects.RULES_DISCOVER);
        dispatcher.subscribe(Subjects.RULES_HOWTO);
        announce();
        LOG.infof("shell builder %s offers %d rules in roots %s", config.name(), offered.size(), rules.roots().keySet());
    }

    private void makeHome() {
        try {
            Files.createDirectories(rules.home());
        } catch (IOException e) {
            LOG.warnf("cannot create %s, the HOME of the shell builder's commands: %s", rules.home(), e.getMessage());
        }
    }

    void stop(@Observes ShutdownEvent shutdown) {
        if (dispatcher != null) {
            connection.closeDispatcher(dispatcher);
        }
    }

    public RuleAnnouncement announcement() {
        return RuleAnnouncement.of(config.name(), rules.rules().stream().map(ShellRule::rule).toList());
    }

    private void announce() {
        Envelope envelope = envelopes.event(MessageTypes.RULES_ANNOUNCE, Subjects.RULES_ANNOUNCE, null, announcement());
        connection.publish(Subjects.RULES_ANNOUNCE, codec.encode(envelope));
    }

    private void heard(Message message) {
        try {
            Envelope envelope = codec.decode(message.getData());
            envelopes.received(envelope);
            if (Subjects.RULES_DISCOVER.equals(message.getSubject())) {
                announce();
            } else if (message.getReplyTo() != null && MessageTypes.RULES_HOWTO.equals(envelope.type())) {
                answer(message, envelope, codec.data(envelope, HowToRequest.class));
            }
        } catch (EnvelopeFormatException | IllegalArgumentException e) {
            // Someone else may understand it; a requester gets its answer or its timeout.
            LOG.debugf("ignoring an unreadable %s: %s", message.getSubject(), e.getMessage());
        }
    }

    private void answer(Message message, Envelope request, HowToRequest question) {
        if (!rules.roots().containsKey(question.root())) {
            return;
        }
        rules.ruleFor(question.path()).ifPresent(chosen -> {
            HowToReply reply = new HowToReply(config.name(), Subjects.build(config.name()), question.path(),
                    chosen.rule().rule().inputsFor(question.path()), chosen.rule().rule().recipe(), chosen.rule().rule());
            Envelope answer = envelopes.event(MessageTypes.RULES_HOWTO_REPLY, message.getReplyTo(),
                    request.correlationid(), reply);
            connection.publish(message.getReplyTo(), codec.encode(answer));
        });
    }
}
