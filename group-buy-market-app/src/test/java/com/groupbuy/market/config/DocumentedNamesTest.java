package com.groupbuy.market.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.support.ProjectRoot;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The docs an operator or newcomer follows name our types, tests, files and meters in backticks; over many renames some
 * came to name nothing. Every such name in them resolves: (a) a backticked UpperCamelCase type ({@code RedisOutages},
 * {@code MqMessageSizeIT}) has a {@code <Name>.java} under a module's {@code src} (or is a library type on {@link
 * #LIBRARY_TYPES}), and a member named on it ({@code Type.member}, {@code Type#test…}, {@code Type::member}) is in that
 * source; (b) a backticked {@code gbm.*} name that is not a setting of README's configuration table (those are
 * ReadmeConfigurationTableTest's) is a name the main sources write ({@code "gbm.notify.not.sent"}, or a meter built as
 * {@code "gbm." + name + ".group.commit.batch"}), and a Prometheus one ({@code gbm_notify_deliveries_total}) is such a
 * meter's exported form; (c) a backticked path ({@code docs/bench/run.sh}, {@code db/demo/R__demo_activity.sql},
 * {@code a/.../B.java}) or source file name ({@code logback-spring.xml}) is a file of the repository, from its root or
 * from a source or resource root; (d) a test class named as proof, backticked or not ({@code ClockSkewIT}), exists.
 * docs/status.md and docs/benchmarks.md are history and keep old names on purpose.
 */
class DocumentedNamesTest {

    private static final List<String> DOCS = List.of(
            "README.md",
            "docs/design.md",
            "docs/api.md",
            "docs/sql.md",
            "docs/operations.md",
            "docs/partner-scope.md",
            "docs/scaling.md");

    /** Types the docs name that are not ours: the JDK's, a library's, and systemd's directive. */
    private static final Set<String> LIBRARY_TYPES = Set.of(
            // JDK
            "ArithmeticException",
            "ClosedChannelException",
            "DataSource",
            "IOException",
            "RuntimeException",
            "SocketException",
            // Spring (JdbcTemplate, ForwardedHeaderFilter), Spring AMQP, Tomcat, Logback
            "JdbcTemplate",
            "ForwardedHeaderFilter",
            "CachingConnectionFactory",
            "RemoteIpValve",
            "AsyncAppender",
            // Redisson
            "RRateLimiter",
            "WriteRedisConnectionException",
            // XXL-Job's handler result
            "ReturnT",
            // systemd's unit directive, not a type
            "LimitNOFILE");

    /** Backticked {@code gbm_*} names that are not meters: the example exchange a partner is given. */
    private static final Set<String> NOT_METERS = Set.of("gbm_mall_s01_app");

    /** Directories that hold no source of the repository. */
    private static final Set<String> NOT_SOURCES =
            Set.of(".git", "target", "node_modules", "data", "logs", "ci-artifacts", ".idea");

    private static final Pattern TICKED = Pattern.compile("`([^`\n]+)`");
    /** A type, maybe with a member: {@code Type}, {@code Type.member()}, {@code Type#test…}, {@code Type::member}. */
    private static final Pattern TYPE =
            Pattern.compile("([A-Z][A-Za-z0-9]*)(?:(?:\\.|#|::)([A-Za-z_][A-Za-z0-9_]*)(…)?[()A-Za-z0-9, ]*)?");

    /** A test class named as proof, backticked or not ({@code -DskipTests} is Maven's flag, not a class). */
    private static final Pattern TEST_CLASS = Pattern.compile("(?<![\\w-])([A-Z][A-Za-z0-9]*[a-z0-9](?:IT|Test))\\b");

    private static final Pattern GBM = Pattern.compile("gbm[._][A-Za-z0-9._-]*");
    private static final Pattern PATH = Pattern.compile("[A-Za-z0-9_.…-]+(?:/[A-Za-z0-9_.…-]+)+\\.[a-z]{1,5}");
    private static final Pattern SOURCE_FILE = Pattern.compile("[A-Za-z0-9_-]+\\.(?:java|sql|xml|yml|yaml|json|sh)");
    private static final Pattern LITERAL = Pattern.compile("\"(gbm\\.[A-Za-z0-9._-]+)\"");
    private static final Pattern BUILT = Pattern.compile("\"(gbm\\.[a-z0-9.-]*)\" \\+ \\w+ \\+ \"([a-z0-9.-]+)\"");
    /** What Prometheus adds to a meter's name: the unit and the series of a counter, timer or summary. */
    private static final Pattern PROMETHEUS_SUFFIX =
            Pattern.compile("(?:_seconds)?(?:_total|_count|_sum|_max|_bucket)?");

    /** What the repository holds: our types' sources, the names the main sources write, settings, files. */
    record Known(
            Map<String, String> typeSources,
            Set<String> written,
            List<Pattern> built,
            List<String> settings,
            Set<String> files) {}

    @Test
    void everyNameTheDocsGiveExists() throws Exception {
        Known known = known();
        assertThat(known.typeSources()).hasSizeGreaterThan(500);
        assertThat(known.written()).hasSizeGreaterThan(20);
        assertThat(known.settings()).hasSizeGreaterThan(100);

        List<String> unknown = new ArrayList<>();
        for (String doc : DOCS) {
            unknown.addAll(
                    unknownNames(doc, Files.readAllLines(ProjectRoot.path().resolve(doc)), known));
        }

        assertThat(unknown)
                .as("names the docs give that name nothing in the repository (say what replaced each)")
                .isEmpty();
    }

    /** The rules can fail: a made-up type, member, meter and path are each reported with their doc and line. */
    @Test
    void aMadeUpNameIsReported() {
        Known known = new Known(
                Map.of("RedisOutages", "class RedisOutages { boolean isDown() {} void aLongTestName() {} }"),
                Set.of("gbm.notify.not.sent", "gbm.notify.attempts"),
                List.of(Pattern.compile(Pattern.quote("gbm.") + "[a-z-]+" + Pattern.quote(".group.commit.batch"))),
                List.of("gbm.notify.lease", "gbm.notify.secrets."),
                Set.of("docs/bench/run.sh", "group-buy-market-app/src/main/resources/logback-spring.xml"));
        List<String> doc = List.of(
                "`RedisOutages`, `RedisOutages.isDown()`, `RedisOutages#aLong…`; `HttpClient` is no type of ours,",
                "`JdbcTemplate` is Spring's; `gbm.notify.not.sent{reason=x}`, `gbm.notify.lease` and",
                "`gbm.notify.secrets.[S].[C]`, `gbm.lock-lookup.group.commit.batch`, `gbm_notify_attempts_seconds_sum`",
                "`docs/bench/run.sh`, `logback-spring.xml`, `group-buy-market-app/.../logback-spring.xml`,",
                "`/swagger-ui.html`, `<dir>/a.log`; built with -DskipTests, proved by RedisOutagesIT;",
                "made up: `RedisOutagez`, `RedisOutages.isUp()`, `gbm.notify.never.sent`, `gbm_notify_nothing_total`,",
                "`docs/bench/walk.sh` and `logback.xml`");

        assertThat(unknownNames("made-up.md", doc, known))
                .containsExactly(
                        "made-up.md:1 type HttpClient",
                        "made-up.md:5 test RedisOutagesIT",
                        "made-up.md:6 type RedisOutagez",
                        "made-up.md:6 member RedisOutages.isUp",
                        "made-up.md:6 meter gbm.notify.never.sent",
                        "made-up.md:6 meter gbm_notify_nothing_total",
                        "made-up.md:7 path docs/bench/walk.sh",
                        "made-up.md:7 path logback.xml");
    }

    /** Every backticked name of the doc's lines that resolves to nothing known, as "doc:line kind name". */
    static List<String> unknownNames(String doc, List<String> lines, Known known) {
        List<String> unknown = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher test = TEST_CLASS.matcher(TICKED.matcher(lines.get(i)).replaceAll(""));
            while (test.find()) {
                if (!known.typeSources().containsKey(test.group(1))) {
                    unknown.add(doc + ":" + (i + 1) + " test " + test.group(1));
                }
            }
            Matcher ticked = TICKED.matcher(lines.get(i));
            while (ticked.find()) {
                String problem = problem(ticked.group(1), known);
                if (problem != null) {
                    unknown.add(doc + ":" + (i + 1) + " " + problem);
                }
            }
        }
        return unknown;
    }

    /** What a backticked text names that does not exist, or null. */
    private static String problem(String text, Known known) {
        // A path from the root or a source root; not an endpoint (/swagger-ui.html), nor one with a placeholder.
        if (PATH.matcher(text).matches() && !text.startsWith("/")
                || SOURCE_FILE.matcher(text).matches()) {
            return isFile(text, known.files()) ? null : "path " + text;
        }
        Matcher gbm = GBM.matcher(text);
        if (gbm.lookingAt()) {
            return meterProblem(text, gbm.group(), known);
        }
        Matcher type = TYPE.matcher(text);
        if (!type.matches() || !looksLikeAType(type.group(1)) || LIBRARY_TYPES.contains(type.group(1))) {
            return null;
        }
        String source = known.typeSources().get(type.group(1));
        if (source == null) {
            return "type " + type.group(1);
        }
        String member = type.group(2);
        if (member != null
                && !Pattern.compile("\\b" + member + (type.group(3) == null ? "\\b" : ""))
                        .matcher(source)
                        .find()) {
            return "member " + type.group(1) + "." + member;
        }
        return null;
    }

    /** UpperCamelCase: two capitals at least and a small letter ({@code IDao}, {@code MqMessageSizeIT}). */
    private static boolean looksLikeAType(String name) {
        return name.chars().filter(Character::isUpperCase).count() >= 2
                && name.chars().anyMatch(Character::isLowerCase);
    }

    /** Null for a setting, a pattern or a name the code writes; else what is unknown. */
    private static String meterProblem(String text, String matched, Known known) {
        String rest = text.substring(matched.length());
        String name = matched.endsWith(".") ? matched.substring(0, matched.length() - 1) : matched;
        if (!name.contains(".") && !name.contains("_")
                || rest.startsWith("*")
                || rest.startsWith("<")
                || rest.startsWith("[")) {
            return null; // gbm.* or a family of settings
        }
        if (name.startsWith("gbm_")) {
            return NOT_METERS.contains(name) || exported(name, known) ? null : "meter " + name;
        }
        if (isSetting(name, known.settings())
                || known.written().contains(name)
                || known.built().stream().anyMatch(built -> built.matcher(name).matches())) {
            return null;
        }
        return "meter " + name;
    }

    /** The Prometheus form of a meter the code names: dots and dashes as underscores, a unit and series suffix. */
    private static boolean exported(String name, Known known) {
        for (String meter : known.written()) {
            String base = meter.replace('.', '_').replace('-', '_');
            if (name.startsWith(base)
                    && PROMETHEUS_SUFFIX.matcher(name.substring(base.length())).matches()) {
                return true;
            }
        }
        return false;
    }

    /** A row's setting, one under a group row ({@code gbm.notify.secrets.}), or a prefix of rows. */
    private static boolean isSetting(String name, List<String> settings) {
        return settings.stream()
                .anyMatch(row -> row.equals(name)
                        || row.endsWith(".") && (name + ".").startsWith(row)
                        || row.startsWith(name + "."));
    }

    /** A file from the root, or from anywhere below it ({@code db/demo/x.sql}); {@code ...} stands for folders. */
    private static boolean isFile(String path, Set<String> files) {
        String[] parts = path.split("/?(?:\\.\\.\\.|…)/?", -1);
        StringBuilder regex = new StringBuilder("(?:.*/)?");
        for (int i = 0; i < parts.length; i++) {
            regex.append(i == 0 ? "" : "/(?:.*/)?").append(Pattern.quote(parts[i]));
        }
        Pattern file = Pattern.compile(regex.toString());
        return files.stream().anyMatch(known -> file.matcher(known).matches());
    }

    private static Known known() throws Exception {
        Path root = ProjectRoot.path();
        Map<String, String> typeSources = new HashMap<>();
        Set<String> written = new TreeSet<>();
        List<Pattern> built = new ArrayList<>();
        Set<String> files = new TreeSet<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                return NOT_SOURCES.contains(dir.getFileName().toString())
                        ? FileVisitResult.SKIP_SUBTREE
                        : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                String relative = root.relativize(file).toString().replace('\\', '/');
                files.add(relative);
                String name = file.getFileName().toString();
                if (name.endsWith(".java") && relative.contains("/src/")) {
                    String source = Files.readString(file);
                    typeSources.merge(name.substring(0, name.length() - ".java".length()), source, String::concat);
                    if (relative.contains("/src/main/")) {
                        LITERAL.matcher(source).results().forEach(match -> written.add(match.group(1)));
                        BUILT.matcher(source)
                                .results()
                                .forEach(match -> built.add(Pattern.compile(
                                        Pattern.quote(match.group(1)) + "[a-z-]+" + Pattern.quote(match.group(2)))));
                    }
                }
                return FileVisitResult.CONTINUE;
            }
        });
        List<String> settings =
                ReadmeConfigurationTableTest.tableRows(Files.readAllLines(root.resolve("README.md"))).stream()
                        .map(ReadmeConfigurationTableTest.Row::setting)
                        .toList();
        return new Known(typeSources, written, built, settings, files);
    }
}
