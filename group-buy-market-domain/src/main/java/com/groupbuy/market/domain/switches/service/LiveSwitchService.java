package com.groupbuy.market.domain.switches.service;

import com.groupbuy.market.domain.switches.adapter.port.ISwitchBroadcast;
import com.groupbuy.market.domain.switches.adapter.repository.ISwitchRepository;
import com.groupbuy.market.domain.switches.model.valobj.LiveSwitchesVO;
import com.groupbuy.market.domain.switches.model.valobj.SwitchChangeVO;
import com.groupbuy.market.domain.switches.model.valobj.SwitchName;
import com.groupbuy.market.types.enums.ResponseCode;
import com.groupbuy.market.types.exception.AppException;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import lombok.extern.slf4j.Slf4j;

/**
 * The switches every request reads: the configured defaults with the stored values laid over them. A change is
 * checked, stored with its audit row, applied here at once and broadcast, and every instance reloads the stored
 * values when told (and on a timer, in case a message was missed); a restart reads them at start. The stored
 * values, not the messages, are the truth: a lost or repeated message only means one more reload.
 */
@Slf4j
public class LiveSwitchService {

    private final LiveSwitchesVO defaults;
    private final ISwitchRepository repository;
    private final ISwitchBroadcast broadcast;
    private final Clock clock;
    private volatile LiveSwitchesVO current;
    /** Reloads begun, in order; {@link #applied} is the latest one whose values are in force. */
    private final AtomicLong reads = new AtomicLong();

    private long applied;

    public LiveSwitchService(
            LiveSwitchesVO defaults, ISwitchRepository repository, ISwitchBroadcast broadcast, Clock clock) {
        this.defaults = defaults;
        this.repository = repository;
        this.broadcast = broadcast;
        this.clock = clock;
        this.current = defaults;
    }

    public LiveSwitchesVO current() {
        return current;
    }

    /**
     * Reads the stored values again; a stored value this version refuses keeps its default and is logged. Reloads run
     * on the reload thread and on an operator's request at once: a read begun before another is never applied after
     * it (it may predate a change the later one saw), so the values in force only move forward.
     */
    public LiveSwitchesVO reload() {
        long read = reads.incrementAndGet();
        LiveSwitchesVO loaded = defaults.overlay(
                repository.loadAll(),
                (name, e) -> log.error(
                        "stored switch {} ignored, its default stays in force: {}", name.key(), e.getMessage()));
        synchronized (this) {
            if (read < applied) {
                return current;
            }
            applied = read;
            if (!loaded.asMap().equals(current.asMap())) {
                log.info("switches now {}", loaded.asMap());
            }
            current = loaded;
            return loaded;
        }
    }

    /** {@link #change(String, String, String, String, String)} whatever the value stored meanwhile. */
    public SwitchChangeVO change(String name, String value, String changedBy, String remoteAddress) {
        return change(name, value, null, changedBy, remoteAddress);
    }

    /**
     * Checks, stores with its audit row, applies here and tells every instance; answers the change as recorded. Once
     * stored it is answered as made, even when applying it here fails (this instance then takes it at its next
     * reload).
     *
     * <p>{@code expected}, when given, is the value the operator saw and edited: the change is stored only if the
     * switch still has it (compare-and-set under the stored row's lock), else {@code 0004} naming the value stored now
     * and nothing is stored. Two operators adding an entry each to one list both started from the same list, and the
     * second save silently dropped the first one's entry. Without it the value is set whatever was stored meanwhile,
     * as before. The audit's old value is the one stored when the change was made (it was this instance's value in
     * force, which another instance's change, or a concurrent one here, had already replaced: two audit rows then
     * both started from the same value and the trail skipped a change).
     */
    public SwitchChangeVO change(String name, String value, String expected, String changedBy, String remoteAddress) {
        SwitchName switchName = SwitchName.of(name);
        String canonical = switchName.check(value);
        String expectedCanonical = expected == null ? null : switchName.check(expected);
        SwitchChangeVO change = repository.change(switchName, defaults.value(switchName), stored -> {
            if (expectedCanonical != null && !expectedCanonical.equals(stored)) {
                throw new AppException(
                        ResponseCode.UPDATE_ZERO,
                        "switch " + switchName.key() + " changed meanwhile: it is '" + stored
                                + "' now, not the expected '" + expectedCanonical
                                + "'; nothing stored (read it again and make the change on it)");
            }
            // At the audit row's precision (DATETIME(3)): the answer is the change as recorded, and the trail lists
            // the same instant (the answer gave nanoseconds, the trail milliseconds).
            return new SwitchChangeVO(
                    0,
                    switchName.key(),
                    stored,
                    canonical,
                    changedBy,
                    remoteAddress,
                    clock.instant().truncatedTo(ChronoUnit.MILLIS));
        });
        log.warn(
                "switch {} changed from '{}' to '{}' by {} from {}",
                change.name(),
                change.oldValue(),
                change.newValue(),
                changedBy,
                remoteAddress);
        try {
            reload();
        } catch (RuntimeException e) {
            // Stored and committed: the operator is told so, never an error for a change that was made. This instance
            // applies it at the reload the message below starts (or its timer's).
            log.warn("switch {} change stored but not applied here yet: {}", change.name(), e.toString());
        }
        broadcast.changed(switchName.key());
        return change;
    }

    public List<SwitchChangeVO> changes(int offset, int limit) {
        return repository.changes(offset, limit);
    }
}
