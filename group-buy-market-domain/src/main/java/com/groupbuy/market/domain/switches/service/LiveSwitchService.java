package com.groupbuy.market.domain.switches.service;

import com.groupbuy.market.domain.switches.adapter.port.ISwitchBroadcast;
import com.groupbuy.market.domain.switches.adapter.repository.ISwitchRepository;
import com.groupbuy.market.domain.switches.model.valobj.LiveSwitchesVO;
import com.groupbuy.market.domain.switches.model.valobj.SwitchChangeVO;
import com.groupbuy.market.domain.switches.model.valobj.SwitchName;
import java.time.Clock;
import java.util.List;
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

    /** Reads the stored values again; a stored value this version refuses keeps its default and is logged. */
    public LiveSwitchesVO reload() {
        LiveSwitchesVO loaded = defaults.overlay(
                repository.loadAll(),
                (name, e) -> log.error(
                        "stored switch {} ignored, its default stays in force: {}", name.key(), e.getMessage()));
        if (!loaded.asMap().equals(current.asMap())) {
            log.info("switches now {}", loaded.asMap());
        }
        current = loaded;
        return loaded;
    }

    /** Checks, stores with its audit row, applies here and tells every instance; answers the change as recorded. */
    public SwitchChangeVO change(String name, String value, String changedBy, String remoteAddress) {
        SwitchName switchName = SwitchName.of(name);
        String canonical = switchName.check(value);
        SwitchChangeVO change = new SwitchChangeVO(
                0, switchName.key(), current.value(switchName), canonical, changedBy, remoteAddress, clock.instant());
        repository.save(change);
        log.warn(
                "switch {} changed from '{}' to '{}' by {} from {}",
                change.name(),
                change.oldValue(),
                change.newValue(),
                changedBy,
                remoteAddress);
        reload();
        broadcast.changed(switchName.key());
        return change;
    }

    public List<SwitchChangeVO> changes(int offset, int limit) {
        return repository.changes(offset, limit);
    }
}
