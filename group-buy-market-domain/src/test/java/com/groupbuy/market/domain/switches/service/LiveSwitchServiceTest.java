package com.groupbuy.market.domain.switches.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.domain.switches.adapter.repository.ISwitchRepository;
import com.groupbuy.market.domain.switches.model.valobj.LiveSwitchesVO;
import com.groupbuy.market.domain.switches.model.valobj.SwitchChangeVO;
import com.groupbuy.market.domain.switches.model.valobj.SwitchName;
import com.groupbuy.market.domain.switches.model.valobj.SwitchValues;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
        timer.get(5, TimeUnit.SECONDS);

        assertThat(service.current().degrade())
                .as("the change stays in force after the older read finished")
                .isTrue();
        assertThat(announced).containsExactly("degrade");
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
        public synchronized void save(SwitchChangeVO change) {
            stored.put(SwitchName.of(change.name()), change.newValue());
        }

        @Override
        public List<SwitchChangeVO> changes(int offset, int limit) {
            return List.of();
        }
    }
}
