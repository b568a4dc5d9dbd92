package dev.extstorage.metrics;

/** Where the request guard and the admission tell of each request they refuse, by reason. */
public interface Refusals {
    /** Counts nothing. */
    Refusals NONE = new Refusals() {
        @Override
        public void rateLimited() {
        }

        @Override
        public void userInFlight() {
        }

        @Override
        public void userInFlightBytes() {
        }

        @Override
        public void serverBusy() {
        }
    };

    /** {@code 429 RATE_LIMITED}: the (user, extension) pair passed its request rate. */
    void rateLimited();

    /** {@code 429 RATE_LIMITED}: the user has as many storage requests under way as it may. */
    void userInFlight();

    /** {@code 429 RATE_LIMITED}: the user's heavy requests under way hold its share of the budget. */
    void userInFlightBytes();

    /** {@code 503 SERVER_BUSY}: the server's budget for heavy requests is held by others. */
    void serverBusy();
}
