package orrery.staging.store;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One row of {@code transfer_rate}: the moving average delivery rate of a source host. */
@Entity
@Table(name = "transfer_rate")
public class TransferRateEntity extends PanacheEntityBase {

    @Id
    public String host;

    public double bytesPerSecond;

    public int samples;

    public Instant updatedAt;
}
