package com.groupbuy.market.domain.trade.service.lock;

import com.groupbuy.market.domain.trade.adapter.port.ITeamPlaceReservation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Place counters per team, each with its holders, as the reservation scripts keep them. */
final class InMemoryPlaces implements ITeamPlaceReservation {
    final Map<String, List<String>> counters = new HashMap<>();
    final List<String> opened = new ArrayList<>();
    /** Thrown by every reservation while set: Redis failing, say. */
    RuntimeException failing;
    /** The next reservations' answers, in order (Redis refusing with false); true once they ran out. */
    final Deque<Boolean> answers = new ArrayDeque<>();
    /** Every reservation asked, as "team target lockedInDb". */
    final List<String> asked = new ArrayList<>();

    @Override
    public boolean reserve(String teamId, String holder, int target, int lockedInDb, Instant validEnd) {
        failIfFailing();
        asked.add(teamId + " " + target + " " + lockedInDb);
        if (Boolean.FALSE.equals(answers.poll())) {
            return false;
        }
        List<String> holders = counters.computeIfAbsent(teamId, t -> new ArrayList<>());
        if (!holders.contains(holder)) {
            holders.add(holder);
        }
        return true;
    }

    private void failIfFailing() {
        if (failing != null) {
            throw failing;
        }
    }

    @Override
    public void cancel(String teamId, String holder) {
        List<String> holders = counters.get(teamId);
        if (holders != null) {
            holders.remove(holder);
        }
    }

    @Override
    public void release(String teamId) {}

    @Override
    public boolean releaseOrder(String teamId, String orderId) {
        return false;
    }

    @Override
    public void countOpened(List<OpenedTeam> teams) {
        teams.forEach(team -> {
            opened.add(team.teamId());
            counters.putIfAbsent(team.teamId(), new ArrayList<>(List.of(team.orderId())));
        });
    }

    @Override
    public Map<String, Integer> places(Collection<String> teamIds) {
        Map<String, Integer> out = new HashMap<>();
        teamIds.forEach(t -> {
            if (counters.containsKey(t)) {
                out.put(t, counters.get(t).size());
            }
        });
        return out;
    }

    @Override
    public int reconcile(
            String teamId, int lockCount, List<String> holdersInDb, List<String> closedOrderIds, Duration staleAfter) {
        return 0;
    }
}
