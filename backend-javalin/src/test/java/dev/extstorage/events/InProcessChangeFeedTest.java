package dev.extstorage.events;

import dev.extstorage.store.Fixtures;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class InProcessChangeFeedTest extends ChangeFeedContract {
    @Override
    protected ChangeFeed newFeed(int retention) {
        return new InProcessChangeFeed(retention);
    }

    @Override
    protected ChangeFeed peerFeed(int retention) {
        return null;
    }

    @Test
    void anIdOfAnotherRunOfTheProcessResets() throws Exception {
        ChangeFeed earlier = open(100);
        Recorder r = new Recorder();
        earlier.subscribe(new ChangeFilter(Fixtures.NOTES, "alice"), null, r);
        earlier.publish(write(user("alice"), "k", "1"));
        String id = r.until("k").get(0).id();
        Thread.sleep(5);   // the next run starts at a later millisecond
        ChangeFeed later = open(100);
        Recorder warm = new Recorder();
        later.subscribe(new ChangeFilter(Fixtures.NOTES, "alice"), null, warm);
        later.publish(write(user("alice"), "k", "1"));
        warm.until("k");
        Recorder resumed = new Recorder();
        later.subscribe(new ChangeFilter(Fixtures.NOTES, "alice"), id, resumed);
        later.publish(write(user("alice"), "live", "1"));
        assertEquals(List.of(Recorder.RESET.key(), "live"), keys(resumed.until("live")));
    }
}
