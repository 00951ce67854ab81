package com.groupbuy.market.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reference model of one activity's trade flows for its partners (docs/api.md, docs/design.md §4): what each
 * lock, settlement, refund and timeout run must answer, and the state each order and team must be in afterwards.
 * It knows nothing of the service: the harness asks it what an answer must be, compares, then applies the effect.
 */
final class TradeModel {

    static final int TARGET = 3;
    static final int TAKE_LIMIT = 2;

    /** An order's key: the partner (source + channel), the user and the mall's out trade number, exactly. */
    record Key(String partner, String userId, String outTradeNo) {}

    static final class Order {
        final Key key;
        final String orderId;
        final String teamId;
        /** Whether this order's lock opened its team (its repeat may then name no team or its own). */
        final boolean openedTeam;

        int status;
        boolean everPaid;
        /** Its unpaid lock was aged past the unpaid timeout. */
        boolean aged;
        /** The refund callback type the partner is owed for this order, once it is closed or told; null: none. */
        String refundCallback;

        Order(Key key, String orderId, String teamId, boolean openedTeam) {
            this.key = key;
            this.orderId = orderId;
            this.teamId = teamId;
            this.openedTeam = openedTeam;
        }

        Order copy() {
            Order copy = new Order(key, orderId, teamId, openedTeam);
            copy.status = status;
            copy.everPaid = everPaid;
            copy.aged = aged;
            copy.refundCallback = refundCallback;
            return copy;
        }
    }

    static final class Team {
        final String teamId;
        final String partner;
        int status;
        int lockCount;
        int completeCount;
        /** Its validity window was moved to have ended: no join, and a payment made now is outside it. */
        boolean ended;
        /**
         * Its end is past {@code gbm.timeout.expiry-grace} too: the timeout job and its close check fail it if it is
         * still open. An ended team not yet due is in its grace: it stays open for a payment made before its end.
         */
        boolean due;
        /** The out trade numbers its completion callback must list (set when it completed). */
        List<String> completedWith;

        Team(String teamId, String partner) {
            this.teamId = teamId;
            this.partner = partner;
        }

        Team copy() {
            Team copy = new Team(teamId, partner);
            copy.status = status;
            copy.lockCount = lockCount;
            copy.completeCount = completeCount;
            copy.ended = ended;
            copy.due = due;
            copy.completedWith = completedWith == null ? null : new ArrayList<>(completedWith);
            return copy;
        }
    }

    /** What an answer must be: its code and, for refunds, the data's code (success / repeat). */
    record Expected(String code, String refundCode) {
        static Expected of(String code) {
            return new Expected(code, null);
        }
    }

    final Map<Key, Order> orders = new LinkedHashMap<>();
    final Map<String, Team> teams = new LinkedHashMap<>();

    /** A model of its own in the same state, to try one order of two concurrent requests on. */
    TradeModel copy() {
        TradeModel copy = new TradeModel();
        orders.forEach((key, order) -> copy.orders.put(key, order.copy()));
        teams.forEach((id, team) -> copy.teams.put(id, team.copy()));
        return copy;
    }

    private int liveTakes(String partner, String userId) {
        int live = 0;
        for (Order order : orders.values()) {
            if (order.key.partner().equals(partner) && order.key.userId().equals(userId) && order.status != 2) {
                live++;
            }
        }
        return live;
    }

    /** The lock's answer; {@code teamParam} "" opens a team. */
    Expected lock(Key key, String teamParam) {
        Order existing = orders.get(key);
        if (existing != null) {
            boolean namesOtherTeam = !teamParam.isEmpty() && !teamParam.equals(existing.teamId);
            if (namesOtherTeam) {
                return Expected.of("0003");
            }
            return Expected.of(
                    switch (existing.status) {
                        case 0 -> "0000";
                        case 1 -> "E0201";
                        default -> "E0202";
                    });
        }
        if (liveTakes(key.partner(), key.userId()) >= TAKE_LIMIT) {
            return Expected.of("E0103");
        }
        if (teamParam.isEmpty()) {
            return Expected.of("0000");
        }
        Team team = teams.get(teamParam);
        if (team == null || !team.partner.equals(key.partner())) {
            return Expected.of("E0205");
        }
        if (team.status != 0 || team.ended) {
            return Expected.of("E0206");
        }
        if (team.lockCount >= TARGET) {
            return Expected.of("E0006");
        }
        return Expected.of("0000");
    }

    /** Applies a new lock the service answered 0000 (a repeat changes nothing). */
    void locked(Key key, String orderId, String teamId) {
        if (orders.containsKey(key)) {
            return;
        }
        Team team = teams.get(teamId);
        boolean opened = team == null;
        if (opened) {
            team = new Team(teamId, key.partner());
            teams.put(teamId, team);
        }
        team.lockCount++;
        orders.put(key, new Order(key, orderId, teamId, opened));
    }

    /**
     * When a settlement says the buyer paid: now; three minutes ago (inside the window of a team whose end the walk
     * moved back, before the start of a team opened during the walk); or, for a team that ended, two seconds before
     * or after its end.
     */
    enum Paid {
        NOW,
        THREE_MINUTES_AGO,
        JUST_BEFORE_THE_END,
        JUST_AFTER_THE_END;

        /** docs/api.md: {@code outTradeTime} inside the team's validity window, or E0106. */
        boolean insideWindowOf(Team team) {
            return switch (this) {
                case NOW -> !team.ended;
                case THREE_MINUTES_AGO, JUST_BEFORE_THE_END -> team.ended;
                case JUST_AFTER_THE_END -> false;
            };
        }
    }

    /** The settlement's answer for a payment made at {@code paid}. */
    Expected settle(Key key, Paid paid) {
        Order order = orders.get(key);
        if (order == null) {
            return Expected.of("E0104");
        }
        if (order.everPaid) {
            return Expected.of("0000");
        }
        if (order.status == 2) {
            return Expected.of("E0208");
        }
        Team team = teams.get(order.teamId);
        if (!paid.insideWindowOf(team)) {
            return Expected.of("E0106");
        }
        if (team.status != 0) {
            return Expected.of("E0206");
        }
        return Expected.of("0000");
    }

    /** Applies a settlement answered 0000; true when it completed the team. */
    boolean settled(Key key) {
        Order order = orders.get(key);
        if (order.everPaid) {
            return false;
        }
        order.status = 1;
        order.everPaid = true;
        Team team = teams.get(order.teamId);
        team.completeCount++;
        if (team.completeCount == TARGET) {
            team.status = 1;
            team.completedWith = new ArrayList<>();
            for (Order member : members(team)) {
                if (member.status == 1) {
                    team.completedWith.add(member.key.outTradeNo());
                }
            }
            return true;
        }
        return false;
    }

    Expected refund(Key key) {
        Order order = orders.get(key);
        if (order == null) {
            return Expected.of("E0104");
        }
        return new Expected("0000", order.status == 2 ? "repeat" : "success");
    }

    void refunded(Key key) {
        Order order = orders.get(key);
        if (order.status == 2) {
            return;
        }
        Team team = teams.get(order.teamId);
        if (order.status == 0) {
            close(order, team);
            return;
        }
        order.status = 2;
        team.lockCount--;
        team.completeCount--;
        if (team.status == 1 || team.status == 3) {
            owe(order, "paid_formed");
            team.status = team.completeCount == 0 ? 2 : 3;
        } else {
            owe(order, "paid_unformed");
        }
    }

    /**
     * The timeout job: open teams past their end + grace fail (unpaid members closed, paid ones told), then aged
     * unpaid locks close.
     */
    void timeoutRun() {
        for (Team team : teams.values()) {
            expire(team);
        }
        for (Order order : orders.values()) {
            if (order.status == 0 && order.aged) {
                close(order, teams.get(order.teamId));
            }
        }
    }

    /**
     * A team's close check (design §4 Timeout; the delay path's consumer, as the job): the team fails when it is
     * still open past its end + grace; true when it did. An open team in its grace is left open.
     */
    boolean expire(Team team) {
        if (team.status != 0 || !team.due) {
            return false;
        }
        team.status = 2;
        for (Order member : members(team)) {
            if (member.status == 0) {
                close(member, team);
            } else if (member.status == 1) {
                owe(member, "paid_unformed");
            }
        }
        return true;
    }

    private void close(Order order, Team team) {
        order.status = 2;
        team.lockCount--;
        owe(order, "unpaid_unlock");
    }

    private static void owe(Order order, String type) {
        if (order.refundCallback == null) {
            order.refundCallback = type;
        }
    }

    List<Order> members(Team team) {
        List<Order> members = new ArrayList<>();
        for (Order order : orders.values()) {
            if (order.teamId.equals(team.teamId)) {
                members.add(order);
            }
        }
        return members;
    }
}
