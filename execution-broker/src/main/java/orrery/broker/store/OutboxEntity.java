package orrery.broker.store;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A message waiting to be published (transactional outbox). */
@Entity
@Table(name = "outbox")
public class OutboxEntity extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public String messageId;

    public String subject;

    public byte[] body;

    public Instant createdAt;

    public Instant publishedAt;

    /** The execution the message is about. */
    public UUID executionId;

    /** When the relay gave up on it for good, and why (the row is then skipped, never retried). */
    public Instant failedAt;

    public String failure;
}
