package orrery.broker.store;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** An answered offer-set request, with the request kept as received. */
@Entity
@Table(name = "offer_set")
public class OfferSetEntity extends PanacheEntityBase {

    @Id
    public UUID id;

    public String owner;

    public String name;

    public String request;

    public String result;

    public String reasons;

    public Instant createdAt;

    public Instant expiresAt;
}
