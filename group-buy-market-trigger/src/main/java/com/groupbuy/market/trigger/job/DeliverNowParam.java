package com.groupbuy.market.trigger.job;

import com.groupbuy.market.domain.outbox.model.valobj.RetryFilter;
import com.groupbuy.market.trigger.http.StrictBooleans;
import com.groupbuy.market.types.enums.ResponseCode;
import com.groupbuy.market.types.exception.AppException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a "deliver now" filter from an operator: the admin endpoint's query parameters, or the
 * {@code groupBuyNotifyJob} parameter ({@code all}, {@code host=<host>}, {@code source=<s>,channel=<c>}).
 * Exactly one kind of filter, each field once; anything else is refused naming the field, so a typo never moves every
 * task.
 */
public final class DeliverNowParam {

    private DeliverNowParam() {}

    /** Whether a job parameter asks for "deliver now" (a team id never has '=' and is never "all"). */
    public static boolean isFilter(String jobParam) {
        return jobParam.equalsIgnoreCase("all") || jobParam.contains("=");
    }

    public static RetryFilter parse(String jobParam) {
        if (jobParam.equalsIgnoreCase("all")) {
            return RetryFilter.all();
        }
        Map<String, String> fields = new HashMap<>();
        for (String pair : jobParam.split("[,&\\s]+")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw refused("parameter", "expected all, host=<host> or source=<source>,channel=<channel>");
            }
            String name = pair.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            // A field named twice is refused, never resolved: the last one won, so source=a,channel=c,source=b moved
            // partner b's retries (and all=true,all=false moved everyone's).
            if (fields.putIfAbsent(name, pair.substring(eq + 1).trim()) != null) {
                throw refused(name, "given more than once");
            }
        }
        String all = fields.remove("all");
        return of(
                fields.remove("host"),
                fields.remove("source"),
                fields.remove("channel"),
                all == null ? null : all(all),
                fields.keySet().stream().findFirst().orElse(null));
    }

    /**
     * {@code true} or {@code false} exactly, as the admin endpoint's {@code all} ({@link StrictBooleans}): read by
     * {@code Boolean.valueOf}, {@code all=yes} or {@code all=1} beside {@code host=…} was "false", and the host's
     * retries moved as if the operator had not asked for every partner's.
     */
    private static boolean all(String value) {
        try {
            return StrictBooleans.parse(value);
        } catch (IllegalArgumentException e) {
            throw refused("all", "true or false");
        }
    }

    public static RetryFilter of(String host, String source, String channel, Boolean all) {
        return of(host, source, channel, all, null);
    }

    private static RetryFilter of(String host, String source, String channel, Boolean all, String unknown) {
        if (unknown != null) {
            throw refused(NoParameter.shown(unknown), "unknown filter field");
        }
        // A control character names no host and no partner (partners' ids refuse them), and it went as sent into the
        // log line of the move: a CR/LF forged a line of ours, an ESC drove the operator's terminal.
        refuseControlCharacters("host", host);
        refuseControlCharacters("source", source);
        refuseControlCharacters("channel", channel);
        boolean byHost = host != null;
        boolean bySource = source != null || channel != null;
        boolean everything = Boolean.TRUE.equals(all);
        if ((byHost ? 1 : 0) + (bySource ? 1 : 0) + (everything ? 1 : 0) != 1) {
            throw refused("filter", "give exactly one of host, source+channel, or all=true");
        }
        if (byHost) {
            // One colon is a port (IPv6 addresses have two or more): the filter names a host, not an address:port.
            // A backslash ends a URL's host for the delivery client, which reads the host the filter compares
            // ("a.example\x" would be a.example).
            long colons = host.chars().filter(c -> c == ':').count();
            if (host.isBlank() || host.matches(".*[/\\\\@?#\\s].*") || colons == 1) {
                throw refused("host", "a host name or address, without scheme, port or path");
            }
            return RetryFilter.host(host);
        }
        if (bySource) {
            if (source == null || source.isBlank()) {
                throw refused("source", "required with channel");
            }
            if (channel == null || channel.isBlank()) {
                throw refused("channel", "required with source");
            }
            // As given: a partner is its source + channel exactly, spaces included (the job parameter's fields are
            // trimmed where they are split). Trimmed here, " s01" named s01's retries, another partner's.
            return RetryFilter.sourceChannel(source, channel);
        }
        return RetryFilter.all();
    }

    private static void refuseControlCharacters(String field, String value) {
        if (value != null && value.chars().anyMatch(Character::isISOControl)) {
            throw refused(field, "holds a control character");
        }
    }

    private static AppException refused(String field, String why) {
        return new AppException(ResponseCode.ILLEGAL_PARAMETER, field + ": " + why);
    }
}
