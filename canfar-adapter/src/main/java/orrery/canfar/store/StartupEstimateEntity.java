package orrery.canfar.store;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/** The moving average of observed start-up times of one image on one backend. */
@Entity
@Table(name = "canfar_startup_estimate")
@IdClass(StartupEstimateEntity.Key.class)
public class StartupEstimateEntity extends PanacheEntityBase {

    @Id
    public String backend;
    @Id
    public String image;
    @Column(nullable = false)
    public long meanMs;
    @Column(nullable = false)
    public int samples;
    @Column(nullable = false)
    public Instant updatedAt;

    /** The estimate of {@code image} on {@code backend}, or null before any start-up was observed. */
    public static Uni<StartupEstimateEntity> findFor(String backend, String image) {
        return findById(new Key(backend, image));
    }

    /** The composite key (backend, image). */
    public static class Key implements Serializable {
        public String backend;
        public String image;

        public Key() {
        }

        public Key(String backend, String image) {
            this.backend = backend;
            this.image = image;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && Objects.equals(backend, key.backend) && Objects.equals(image, key.image);
        }

        @Override
        public int hashCode() {
            return Objects.hash(backend, image);
        }
    }
}
