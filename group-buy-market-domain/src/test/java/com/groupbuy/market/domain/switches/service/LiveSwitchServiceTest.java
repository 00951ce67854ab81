package com.groupbuy.market.domain.switches.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.groupbuy.market.domain.switches.adapter.repository.ISwitchRepository;
import com.groupbuy.market.domain.switches.model.valobj.LiveSwitchesVO;
import com.groupbuy.market.domain.switches.model.valobj.SwitchChangeVO;
import com.groupbuy.market.domain.switches.model.valobj.SwitchName;
import com.groupbuy.market.domain.switches.model.valobj.SwitchValues;
import com.groupbuy.market.types.enums.ResponseCode;
import com.groupbuy.market.types.exception.AppException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class LiveSwitchServiceTest {

    /**
     * The reload thread's timer read the stored values just before an operator's change was stored, and assigned
     * them just after the change had been applied here: the instance went back to the values before the change and
     * served them until its next reload (up to gbm.switch.reload-interval with the change message lost, as when Redis
     * is down: the time an operator reaches for {@code degrade}). A read begun earlier never replaces a later one.
     */
    @Test
    void aReloadThatReadBeforeAChangeDoesNotUndoItWhenItFinishesAfter() throws Exception {
        SlowFirstReadRepository repository = new SlowFirstReadRepository();
        List<String> announced = new ArrayList<>();
        LiveSwitchService service = new LiveSwitchService(defaults(), repository, announced::add, Clock.systemUTC());

        CompletableFuture<LiveSwitchesVO> timer = CompletableFuture.supplyAsync(service::reload);
        assertThat(repository.firstReadTaken.await(5, TimeUnit.SECONDS)).isTrue();

        service.change("degrade", "true", "ops", "127.0.0.1");
        assertThat(service.current().degrade()).as("applied here at once").isTrue();

        repository.releaseFirstRead.countDown();
        assertThat(timer.get(5, TimeUnit.SECONDS).degrade())
                .as("the older read answers the values in force, not its own")
                .isTrue();

        assertThat(service.current().degrade())
                .as("the change stays in force after the older read finished")
                .isTrue();
        assertThat(announced).containsExactly("degrade");
    }

    /**
     * The answer to a change is the change as recorded: its time at the audit row's precision (milliseconds), not the
     * clock's nanoseconds, which the trail listing the same change did not show.
     */
    @Test
    void aChangeIsTimedAtTheAuditsPrecision() {
        SlowFirstReadRepository repository = new SlowFirstReadRepository();
        repository.releaseFirstRead.countDown();
        Instant now = Instant.parse("2026-12-06T17:04:18.465922333Z");
        LiveSwitchService service =
                new LiveSwitchService(defaults(), repository, name -> {}, Clock.fixed(now, ZoneOffset.UTC));

        SwitchChangeVO change = service.change("degrade", "true", "ops", "127.0.0.1");

        assertThat(change.changedAt()).isEqualTo(Instant.parse("2026-12-06T17:04:18.465Z"));
    }

    /**
     * The trail lists each change as recorded, newest first, each from the value stored when it was made (the
     * configured default while none was). Found by mutation testing: an empty trail survived.
     */
    @Test
    void theTrailListsEachChangeFromTheValueItReplaced() {
        SlowFirstReadRepository repository = new SlowFirstReadRepository();
        repository.releaseFirstRead.countDown();
        LiveSwitchService service = new LiveSwitchService(defaults(), repository, name -> {}, Clock.systemUTC());

        service.change("cutRange", "50", "ops", "127.0.0.1");
        service.change("cutRange", "20", "ops", "127.0.0.1");

        assertThat(service.changes(0, 10))
                .extracting(SwitchChangeVO::oldValue, SwitchChangeVO::newValue)
                .containsExactly(tuple("50", "20"), tuple("100", "50"));
        assertThat(service.changes(1, 10)).hasSize(1);
    }

    /** A reload that begins after another has finished is applied as ever (each read is the stored truth). */
    @Test
    void aLaterReloadStillAppliesWhatIsStoredNow() {
        SlowFirstReadRepository repository = new SlowFirstReadRepository();
        repository.releaseFirstRead.countDown();
        LiveSwitchService service = new LiveSwitchService(defaults(), repository, name -> {}, Clock.systemUTC());
        service.change("degrade", "true", "ops", "127.0.0.1");
        repository.stored.put(SwitchName.DEGRADE, "false");

        assertThat(service.reload().degrade()).isFalse();
        assertThat(service.current().degrade()).isFalse();
    }

    /**
     * The change is stored (value and audit row, one transaction) before it is applied here: a failure of the read
     * that applies it (the database gone just after the commit) must not answer the operator an error for a change
     * that was made, and every instance (this one too) is still told to reload it.
     */
    @Test
    void aChangeStoredIsAnsweredAsMadeWhenApplyingItHereFails() {
        SlowFirstReadRepository repository = new SlowFirstReadRepository();
        repository.releaseFirstRead.countDown();
        repository.failReads = true;
        List<String> announced = new ArrayList<>();
        LiveSwitchService service = new LiveSwitchService(defaults(), repository, announced::add, Clock.systemUTC());

        SwitchChangeVO change = service.change("degrade", "true", "ops", "127.0.0.1");

        assertThat(change.newValue()).isEqualTo("true");
        assertThat(repository.stored).containsEntry(SwitchName.DEGRADE, "true");
        assertThat(announced).containsExactly("degrade");

        repository.failReads = false;
        assertThat(service.reload().degrade()).as("the next reload applies it").isTrue();
    }

    /**
     * A change made on the value the operator read: stored while the switch still has it (the default counts when
     * nothing is stored), refused {@code 0004} naming the value stored now once another change came first, and then
     * nothing is stored or announced. The audit's old value is the value stored, not this instance's value in force.
     */
    @Test
    void aChangeOnAValueReadIsRefusedOnceAnotherChangeCameFirst() {
        SlowFirstReadRepository repository = new SlowFirstReadRepository();
        repository.releaseFirstRead.countDown();
        List<String> announced = new ArrayList<>();
        LiveSwitchService service = new LiveSwitchService(defaults(), repository, announced::add, Clock.systemUTC());

        SwitchChangeVO alice = service.change("settlementBlacklist", "s01:c01", "", "alice", "10.0.0.1");
        assertThat(alice.oldValue()).isEqualTo("");
        assertThatThrownBy(() -> service.change("settlementBlacklist", "s02:c02", " ", "bob", "10.0.0.2"))
                .isInstanceOfSatisfying(AppException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(ResponseCode.UPDATE_ZERO.getCode());
                    assertThat(e.getInfo()).contains("changed meanwhile", "'s01:c01'");
                });
        assertThat(repository.stored).containsEntry(SwitchName.SETTLEMENT_BLACKLIST, "s01:c01");
        assertThat(announced).containsExactly("settlementBlacklist");

        repository.stored.put(SwitchName.SETTLEMENT_BLACKLIST, "s03:c03");
        SwitchChangeVO bob = service.change("settlementBlacklist", "s03:c03,s02:c02", "s03:c03", "bob", "10.0.0.2");
        assertThat(bob.oldValue())
                .as("the value stored, not the one in force here")
                .isEqualTo("s03:c03");
        assertThat(service.current().settlementBlacklist()).containsExactlyInAnyOrder("s02:c02", "s03:c03");
    }

    private static LiveSwitchesVO defaults() {
        return LiveSwitchesVO.of(SwitchValues.unset());
    }

    /** Stored values in memory; the first read takes a copy and then waits to be released before returning it. */
    private static final class SlowFirstReadRepository implements ISwitchRepository {
        final Map<SwitchName, String> stored = new ConcurrentHashMap<>();
        final CountDownLatch firstReadTaken = new CountDownLatch(1);
        final CountDownLatch releaseFirstRead = new CountDownLatch(1);
        private boolean first = true;
        volatile boolean failReads;
        /** The audit rows, newest first. */
        private final List<SwitchChangeVO> trail = new ArrayList<>();

        @Override
        public Map<SwitchName, String> loadAll() {
            if (failReads) {
                throw new IllegalStateException("database gone");
            }
            boolean slow;
            Map<SwitchName, String> copy;
            synchronized (this) {
                slow = first;
                first = false;
                copy = new EnumMap<>(SwitchName.class);
                copy.putAll(stored);
            }
            if (slow) {
                firstReadTaken.countDown();
                try {
                    releaseFirstRead.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return copy;
        }

        @Override
        public synchronized SwitchChangeVO change(
                SwitchName name, String unset, Function<String, SwitchChangeVO> change) {
            SwitchChangeVO decided = change.apply(stored.getOrDefault(name, unset));
            stored.put(name, decided.newValue());
            trail.add(0, decided);
            return decided;
        }

        @Override
        public synchronized List<SwitchChangeVO> changes(int offset, int limit) {
            return List.copyOf(trail.subList(Math.min(offset, trail.size()), Math.min(offset + limit, trail.size())));
        }
    }
}
