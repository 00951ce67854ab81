package com.groupbuy.market.config;

import com.groupbuy.market.types.partner.Partner;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.commons.logging.Log;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.ResolvableType;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Settings keyed by partner ({@code gbm.notify.secrets.<source>.<channel>}, {@code gbm.notify.refund-urls.…},
 * {@code gbm.close-check.payment-grace.…}, {@code gbm.trade.partner-addresses.…}) given as environment variables ({@code GBM_NOTIFY_SECRETS_S01_C01}):
 * Spring's relaxed binding lower-cases such keys (and an environment variable cannot carry '-', '.' or ':'), while
 * partner ids compare exactly. So {@code GBM_NOTIFY_SECRETS_S01_C01} is the secret of partner {@code s01:c01} only;
 * for partner {@code S01:C01} it was silently not applied: its callbacks went out unsigned, its signed requests were
 * all refused, its refund callbacks were never sent, its payment grace was 0. Checked once the configuration is read:
 * a key from the environment that matches a pair named elsewhere in the configuration (signature, black/allowlist,
 * rate limits, or the same setting in YAML/properties) only when case and punctuation are ignored stops the start,
 * with the way to write it that keeps case; every other key from the environment is logged with the exact pair it
 * applies to. Environment variables of the names the docs used to give for refund URLs and payment graces, which
 * Spring never read, stop the start too, with the name it reads.
 */
public class PartnerKeyedSettingsGuard implements EnvironmentPostProcessor, Ordered {

    static final List<String> PARTNER_KEYED = List.of(
            "gbm.notify.secrets",
            "gbm.notify.refund-urls",
            "gbm.close-check.payment-grace",
            "gbm.mq.partner-exchanges",
            "gbm.trade.partner-addresses",
            "gbm.notify.callback-hosts");
    private static final List<String> PAIR_LISTS = List.of(
            "gbm.trade.signature.required-for",
            "gbm.settlement.blacklist",
            "gbm.settlement.allowlist",
            "gbm.rate-limit.pairs");
    /** Keyed settings whose value is a list: a comma-separated value or an indexed one ({@code …[0]}, YAML). */
    private static final Set<String> LIST_VALUED = Set.of("gbm.trade.partner-addresses", "gbm.notify.callback-hosts");

    static final Bindable<Map<String, Map<String, List<String>>>> LISTS_BY_SOURCE_THEN_CHANNEL =
            Bindable.of(ResolvableType.forClassWithGenerics(
                    Map.class,
                    ResolvableType.forClass(String.class),
                    ResolvableType.forClassWithGenerics(
                            Map.class,
                            ResolvableType.forClass(String.class),
                            ResolvableType.forClassWithGenerics(List.class, String.class))));
    /**
     * A list-valued keyed setting ({@code key.[source].[channel]=a,b}) as {@code parse} reads it; the start is refused,
     * with its message, for what {@code parse} refuses (IllegalArgumentException).
     */
    static <T> T parseLists(
            Environment environment, String key, Function<Map<String, Map<String, List<String>>>, T> parse) {
        try {
            return parse.apply(Binder.get(environment)
                    .bind(key, LISTS_BY_SOURCE_THEN_CHANNEL)
                    .orElse(Map.of()));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("refusing to start: " + e.getMessage(), e);
        }
    }

    private static final Bindable<Map<String, Map<String, String>>> BY_SOURCE_THEN_CHANNEL =
            Bindable.of(ResolvableType.forClassWithGenerics(
                    Map.class,
                    ResolvableType.forClass(String.class),
                    ResolvableType.forClassWithGenerics(Map.class, String.class, String.class)));

    /**
     * Environment variable names README and docs/operations.md used to give, which Spring never reads: a '-' in a
     * property name is dropped, not turned into '_', so {@code gbm.notify.refund-urls} is {@code GBM_NOTIFY_REFUNDURLS_…}
     * and {@code GBM_NOTIFY_REFUND_URLS_S01_C01} set no refund URL at all (for lower-case ids too). Keys are
     * upper-cased here: the name as written, and the name Spring reads.
     */
    private static final Map<String, String> UNREAD_PREFIXES = Map.of(
            "GBM_NOTIFY_REFUND_URLS_", "GBM_NOTIFY_REFUNDURLS_",
            "GBM_CLOSE_CHECK_PAYMENT_GRACE_", "GBM_CLOSECHECK_PAYMENTGRACE_");

    private final Log log;

    public PartnerKeyedSettingsGuard(DeferredLogFactory logs) {
        this.log = logs.getLog(PartnerKeyedSettingsGuard.class);
    }

    /** Before the embedded servers start (default profile): a refusal is the first and only error. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE - 1;
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        check(environment).forEach(log::warn);
    }

    /** Throws when a key from the environment can only be a mistake; else the warnings to log. */
    static List<String> check(ConfigurableEnvironment environment) {
        Set<Partner> named = namedPairs(environment);
        List<String> problems = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (PropertySource<?> source : environment.getPropertySources()) {
            if (!(source instanceof SystemEnvironmentPropertySource)) {
                continue;
            }
            for (String variable : ((SystemEnvironmentPropertySource) source).getPropertyNames()) {
                UNREAD_PREFIXES.forEach((unread, read) -> {
                    if (variable.toUpperCase(Locale.ROOT).startsWith(unread)) {
                        String rest = variable.substring(unread.length());
                        problems.add("environment variable " + variable + " is never read: write it " + read + rest
                                + " (lower-case partner ids only) or, keeping case, in YAML/properties");
                    }
                });
            }
            Binder fromEnv = binder(source);
            for (String setting : PARTNER_KEYED) {
                Map<String, Map<String, String>> keys =
                        fromEnv.bind(setting, BY_SOURCE_THEN_CHANNEL).orElse(Map.of());
                keys.forEach((src, byChannel) -> byChannel.keySet().forEach(channel -> {
                    Partner pair = new Partner(src, channel);
                    Partner meant = named.stream()
                            .filter(n -> !n.equals(pair) && loose(n).equals(loose(pair)))
                            .findFirst()
                            .orElse(null);
                    if (meant != null) {
                        problems.add(problem(setting, pair, meant));
                    } else {
                        warnings.add(setting + "." + src + "." + channel + " comes from an environment variable: it "
                                + "applies to partner '" + written(pair)
                                + "' exactly (environment variable keys are lower-cased)");
                    }
                }));
            }
        }
        problems.addAll(crossedKeys(environment));
        if (!problems.isEmpty()) {
            throw new IllegalStateException("refusing to start: " + String.join("; ", problems));
        }
        return warnings;
    }

    private static String problem(String setting, Partner pair, Partner meant) {
        return setting + "." + pair.source() + "." + pair.channel()
                + " (from an environment variable) applies to partner '" + written(pair)
                + "' only, but the configuration names partner '" + written(meant) + "': environment variable keys are "
                + "lower-cased and cannot carry '-', '.' or ':', and partner ids compare exactly. Write it where case is "
                + "kept: YAML/properties " + setting + ".[" + meant.source() + "].[" + meant.channel()
                + "]=…, or SPRING_APPLICATION_JSON";
    }

    /** Every source:channel named by a setting whose values keep case (lists, and the keyed settings' own keys). */
    private static Set<Partner> namedPairs(ConfigurableEnvironment environment) {
        Set<Partner> named = new LinkedHashSet<>();
        for (String list : PAIR_LISTS) {
            for (String entry : environment.getProperty(list, "").split(",")) {
                int eq = entry.indexOf('=');
                String pair = (eq < 0 ? entry : entry.substring(0, eq)).trim();
                int colon = pair.indexOf(':');
                // An empty channel ("s01:") names no partner (nor could an environment variable's key match it).
                if (colon > 0 && colon < pair.length() - 1) {
                    named.add(new Partner(pair.substring(0, colon), pair.substring(colon + 1)));
                }
            }
        }
        for (PropertySource<?> source : environment.getPropertySources()) {
            if (source instanceof SystemEnvironmentPropertySource) {
                continue;
            }
            Binder binder = binder(source);
            for (String setting : PARTNER_KEYED) {
                binder.bind(setting, BY_SOURCE_THEN_CHANNEL)
                        .orElse(Map.of())
                        .forEach((src, byChannel) -> byChannel.keySet().forEach(ch -> named.add(new Partner(src, ch))));
            }
        }
        return named;
    }

    /**
     * Spring compares map keys written without brackets ignoring case and '-': {@code refund-urls.Mall.App} and
     * {@code refund-urls.mall.app} became one key, and both partners got one partner's value (the other partner's
     * refund callbacks, its secret: one partner could sign as the other). Each configured key must bind to its own
     * value, and no pair may appear that nobody configured; else the start is refused, naming the key.
     */
    private static List<String> crossedKeys(ConfigurableEnvironment environment) {
        List<String> problems = new ArrayList<>();
        Binder all = Binder.get(environment);
        for (String setting : PARTNER_KEYED) {
            ConfigurationPropertyName prefix = ConfigurationPropertyName.of(setting);
            int at = prefix.getNumberOfElements();
            boolean lists = LIST_VALUED.contains(setting);
            Map<Partner, Object> configured = new LinkedHashMap<>();
            for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
                if (!(source instanceof IterableConfigurationPropertySource names)) {
                    continue;
                }
                Map<Partner, Object> here = new LinkedHashMap<>();
                Map<Partner, Map<Integer, String>> indexed = new LinkedHashMap<>();
                names.stream().filter(prefix::isAncestorOf).forEach(n -> {
                    Partner pair = new Partner(n.getElement(at, Form.ORIGINAL), n.getElement(at + 1, Form.ORIGINAL));
                    Object value = source.getConfigurationProperty(n).getValue();
                    if (n.getNumberOfElements() == at + 2) {
                        here.put(pair, lists ? listed(String.valueOf(value)) : value);
                    } else if (lists && n.getNumberOfElements() == at + 3 && n.isNumericIndex(at + 2)) {
                        indexed.computeIfAbsent(pair, p -> new TreeMap<>())
                                .put(Integer.valueOf(n.getElement(at + 2, Form.UNIFORM)), String.valueOf(value));
                    }
                });
                indexed.forEach((pair, items) -> here.putIfAbsent(pair, listed(String.join(",", items.values()))));
                here.forEach(configured::putIfAbsent);
            }
            Map<Partner, String> bound = new LinkedHashMap<>();
            if (lists) {
                all.bind(setting, LISTS_BY_SOURCE_THEN_CHANNEL)
                        .orElse(Map.of())
                        .forEach((src, byChannel) -> byChannel.forEach(
                                (ch, value) -> bound.put(new Partner(src, ch), listed(String.join(",", value)))));
            } else {
                all.bind(setting, BY_SOURCE_THEN_CHANNEL)
                        .orElse(Map.of())
                        .forEach((src, byChannel) ->
                                byChannel.forEach((ch, value) -> bound.put(new Partner(src, ch), value)));
            }
            Set<String> wrong = new LinkedHashSet<>();
            configured.forEach((pair, value) -> {
                boolean placeholder = String.valueOf(value).contains("${");
                if (!bound.containsKey(pair)
                        || (!placeholder && !String.valueOf(value).equals(bound.get(pair)))) {
                    wrong.add(loose(pair));
                }
            });
            // A pair nobody configured (Mall:app beside Mall:App and mall:app) shows keys taken for one another.
            bound.keySet().stream()
                    .filter(pair -> !configured.containsKey(pair))
                    .forEach(pair -> wrong.add(loose(pair)));
            configured.keySet().stream()
                    .filter(pair -> wrong.contains(loose(pair)))
                    .forEach(pair -> problems.add(crossed(setting, pair)));
        }
        return problems;
    }

    /** A list value compared as its trimmed comma-separated items. */
    private static String listed(String value) {
        return Arrays.stream(value.split(",")).map(String::trim).collect(Collectors.joining(","));
    }

    private static String crossed(String setting, Partner pair) {
        return setting + "." + pair.source() + "." + pair.channel()
                + " is read as another partner's (Spring takes keys differing only "
                + "in case or '-' for one key): write each such key in brackets, " + setting + ".[" + pair.source()
                + "].[" + pair.channel() + "]=…";
    }

    private static Binder binder(PropertySource<?> source) {
        ConfigurationPropertySource adapted = ConfigurationPropertySource.from(source);
        return adapted == null ? new Binder() : new Binder(adapted);
    }

    /** A partner as the settings' lists write it, {@code source:channel} (for messages: never split again). */
    private static String written(Partner pair) {
        return pair.source() + ":" + pair.channel();
    }

    /**
     * What is left of a partner once an environment variable has carried it: no case, letters and digits only, so
     * joining its ids with ':' is one text per loose pair.
     */
    private static String loose(Partner pair) {
        return loose(pair.source()) + ":" + loose(pair.channel());
    }

    private static String loose(String id) {
        return id.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }
}
