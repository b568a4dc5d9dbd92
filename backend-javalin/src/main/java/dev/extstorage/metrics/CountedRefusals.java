package dev.extstorage.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** Refusals counted by status and reason. */
final class CountedRefusals implements Refusals {
    private final Counter rate;
    private final Counter inFlight;
    private final Counter inFlightBytes;
    private final Counter busy;

    CountedRefusals(MeterRegistry registry) {
        this.rate = refusal(registry, "429", "rate");
        this.inFlight = refusal(registry, "429", "in_flight");
        this.inFlightBytes = refusal(registry, "429", "in_flight_bytes");
        this.busy = refusal(registry, "503", "server_busy");
    }

    private static Counter refusal(MeterRegistry registry, String status, String reason) {
        return Counter.builder("extstorage.refusals")
                .description("Storage requests refused by the rate limit (429 rate), a user's bounds on work"
                        + " under way (429 in_flight, in_flight_bytes) or the server's budget (503 server_busy)")
                .tags("status", status, "reason", reason).register(registry);
    }

    @Override
    public void rateLimited() {
        rate.increment();
    }

    @Override
    public void userInFlight() {
        inFlight.increment();
    }

    @Override
    public void userInFlightBytes() {
        inFlightBytes.increment();
    }

    @Override
    public void serverBusy() {
        busy.increment();
    }
}
