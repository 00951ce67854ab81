package com.groupbuy.market.types.progress;

import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The progress of this instance's work, in memory: the last {@code keep} entries (a piece of work run again replaces
 * its entry). Work run by another instance shows on that instance's board.
 */
public class InMemoryProgressBoard implements ProgressBoard {

    private final int keep;
    private final Clock clock;
    private final Map<String, WorkProgress> entries = new LinkedHashMap<>();

    public InMemoryProgressBoard(int keep) {
        this(keep, Clock.systemUTC());
    }

    public InMemoryProgressBoard(int keep, Clock clock) {
        this.keep = keep;
        this.clock = clock;
    }

    @Override
    public void queued(String kind, String subject) {
        put(new WorkProgress(kind, subject, WorkProgress.State.QUEUED, 0, -1, null, null, null));
    }

    @Override
    public Progress start(String kind, String subject, long total) {
        put(new WorkProgress(kind, subject, WorkProgress.State.RUNNING, 0, total, null, Instant.now(clock), null));
        return new Progress() {
            @Override
            public void advance(long rows) {
                update(
                        kind,
                        subject,
                        p -> new WorkProgress(
                                kind, subject, p.state(), p.done() + rows, p.total(), null, p.startedAt(), null));
            }

            @Override
            public void done() {
                update(
                        kind,
                        subject,
                        p -> new WorkProgress(
                                kind,
                                subject,
                                WorkProgress.State.DONE,
                                p.done(),
                                p.total() < 0 ? p.done() : p.total(),
                                null,
                                p.startedAt(),
                                Instant.now(clock)));
            }

            @Override
            public void failed(String reason) {
                update(
                        kind,
                        subject,
                        p -> new WorkProgress(
                                kind,
                                subject,
                                WorkProgress.State.FAILED,
                                p.done(),
                                p.total(),
                                reason,
                                p.startedAt(),
                                Instant.now(clock)));
            }
        };
    }

    @Override
    public synchronized Optional<WorkProgress> get(String kind, String subject) {
        return Optional.ofNullable(entries.get(key(kind, subject)));
    }

    @Override
    public synchronized List<WorkProgress> recent() {
        return entries.values().stream()
                .sorted(Comparator.comparing((WorkProgress p) -> !p.active())
                        .thenComparing(
                                p -> p.startedAt() == null ? Instant.MAX : p.startedAt(), Comparator.reverseOrder()))
                .toList();
    }

    private synchronized void put(WorkProgress progress) {
        if (keep <= 0) {
            return;
        }
        entries.remove(key(progress.kind(), progress.subject()));
        entries.put(key(progress.kind(), progress.subject()), progress);
        var oldest = entries.keySet().iterator();
        while (entries.size() > keep && oldest.hasNext()) {
            oldest.next();
            oldest.remove();
        }
    }

    private synchronized void update(
            String kind, String subject, java.util.function.UnaryOperator<WorkProgress> change) {
        WorkProgress current = entries.get(key(kind, subject));
        if (current != null) {
            entries.put(key(kind, subject), change.apply(current));
        }
    }

    private static String key(String kind, String subject) {
        return kind + "\u0000" + subject;
    }
}
