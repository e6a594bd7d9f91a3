package orrery.support.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import orrery.model.problem.Problem;
import orrery.model.problem.ProblemException;
import orrery.model.schedule.IsoSchedule;

/** A resource that exists only to show how errors come out. */
@Path("/test/echo")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class EchoResource {

    public record Booking(@JsonProperty(required = true) String name, @JsonProperty(required = true) int cores, Instant start) {
    }

    @POST
    public Booking echo(Booking booking) {
        return booking;
    }

    @GET
    @Path("/window")
    public String window(@QueryParam("at") String at) {
        return IsoSchedule.parseInterval(at).toString();
    }

    @GET
    @Path("/refuse")
    public String refuse() {
        throw new ProblemException(Problem.of("not-enough-capacity", 409, "Not enough capacity", "only 12 cores free")
                .with("largestFree", 12));
    }

    @GET
    @Path("/bug")
    public String bug() {
        throw new IllegalStateException("a bug of ours");
    }

    @GET
    @Path("/nats-timeout")
    public String natsTimeout() {
        throw new java.io.UncheckedIOException(new java.io.IOException("Timeout or no response waiting for NATS JetStream server"));
    }
}
