package dev.extstorage.http;

import dev.extstorage.model.ErrorCode;
import dev.extstorage.model.StorageException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AdmissionTest {
    private static final long KIB = 1024;

    @Test
    void aUserMayHaveExactlyItsNumberOfRequestsUnderWay() {
        Admission admission = new Admission(1024 * KIB, 0, 3);
        List<Admission.Ticket> held = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            held.add(admission.admit("alice", 100));
        }
        StorageException e = assertThrows(StorageException.class, () -> admission.admit("alice", 100));
        assertEquals(ErrorCode.RATE_LIMITED, e.code());
        assertEquals(1, e.retryAfterSeconds());
        admission.admit("bob", 100).close();
        held.remove(0).close();
        held.add(admission.admit("alice", 100));
        held.forEach(Admission.Ticket::close);
        assertEquals(0, admission.inFlight("alice"));
    }

    @Test
    void lightWorkTakesNoBudget() {
        Admission admission = new Admission(1024 * KIB, 0, 1000);
        for (int i = 0; i < 500; i++) {
            admission.admit("u" + i, Admission.LIGHT_BYTES);
        }
        assertEquals(1024, admission.availableUnits());
    }

    @Test
    void theGlobalBudgetAdmitsExactlyItsBytes() {
        // four users, each within its share (a quarter), fill the budget exactly; one more byte is refused
        Admission admission = new Admission(1024 * KIB, 0, 10);
        List<Admission.Ticket> held = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            held.add(admission.admit("u" + i, 256 * KIB));
        }
        assertEquals(0, admission.availableUnits());
        StorageException e = assertThrows(StorageException.class, () -> admission.admit("u4", 65 * KIB));
        assertEquals(ErrorCode.SERVER_BUSY, e.code());
        assertEquals(1, e.retryAfterSeconds());
        assertEquals(0, admission.inFlight("u4"), "a refused request is not counted as under way");
        held.get(0).close();
        admission.admit("u4", 256 * KIB).close();
    }

    @Test
    void oneUserMayHoldAQuarterOfTheBudget() {
        Admission admission = new Admission(1024 * KIB, 0, 10);
        Admission.Ticket first = admission.admit("alice", 128 * KIB);
        Admission.Ticket second = admission.admit("alice", 128 * KIB);
        StorageException e = assertThrows(StorageException.class, () -> admission.admit("alice", 65 * KIB));
        assertEquals(ErrorCode.RATE_LIMITED, e.code());
        admission.admit("bob", 256 * KIB).close();
        first.close();
        second.close();
        assertEquals(1024, admission.availableUnits());
    }

    @Test
    void theLargestRequestIsAlwaysAdmittedOnAnIdleServer() {
        Admission admission = new Admission(1024 * KIB, 600 * KIB, 10);
        admission.admit("alice", 600 * KIB).close();
        Admission.Ticket big = admission.admit("alice", 600 * KIB);
        assertThrows(StorageException.class, () -> admission.admit("alice", 100 * KIB));
        big.close();
    }

    @Test
    void closingTwiceGivesBackOnce() {
        Admission admission = new Admission(1024 * KIB, 0, 2);
        Admission.Ticket t = admission.admit("alice", 200 * KIB);
        t.close();
        t.close();
        assertEquals(1024, admission.availableUnits());
        assertEquals(0, admission.inFlight("alice"));
        admission.admit("alice", 1).close();
        admission.admit("alice", 1);
        admission.admit("alice", 1);
        assertThrows(StorageException.class, () -> admission.admit("alice", 1));
    }

    @Test
    void aRequestMayGrowWithinTheBudgetAndGivesAllBack() {
        Admission admission = new Admission(1024 * KIB, 1024 * KIB, 10);
        Admission.Ticket reader = admission.admit("alice", 0);
        reader.grow(900 * KIB);
        assertEquals(124, admission.availableUnits());
        Admission.Ticket other = admission.admit("bob", 0);
        StorageException e = assertThrows(StorageException.class, () -> other.grow(124 * KIB + 1));
        assertEquals(ErrorCode.SERVER_BUSY, e.code());
        assertEquals(124, admission.availableUnits(), "a refused growth holds nothing");
        other.grow(124 * KIB);
        assertEquals(0, admission.availableUnits());
        other.grow(Admission.LIGHT_BYTES);
        reader.close();
        other.close();
        assertEquals(1024, admission.availableUnits());
        assertEquals(0, admission.requestsInFlight());
    }
}
