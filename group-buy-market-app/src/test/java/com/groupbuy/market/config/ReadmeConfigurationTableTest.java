package com.groupbuy.market.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.support.ProjectRoot;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.boot.convert.DurationUnit;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.type.filter.AnnotationTypeFilter;

/**
 * README's configuration table is what operators trust: every {@code gbm.*} setting a properties class binds has a row,
 * and where a row's default cell names a plain value (the leading value; profile overrides follow in brackets), it is
 * what a fresh instance of the class holds. The close-check defaults were documented as 50/4 while the code had 10/16,
 * and a dozen settings had no row at all.
 */
class ReadmeConfigurationTableTest {

    private static final String PACKAGE = "com.groupbuy.market";
    private static final Pattern NAME = Pattern.compile("`([^`]+)`");
    private static final Pattern READ_BY_NAME =
            Pattern.compile("(?:\\$\\{|getProperty\\(\\s*\"|name = \"|source=\")(gbm\\.[a-z0-9.-]+)");
    /** A setting named in a string of the code: a constant ("gbm.notify.callback-hosts"), a key built on it. */
    private static final Pattern NAMED_IN_A_STRING = Pattern.compile("\"(gbm\\.[a-z0-9-]+(?:\\.[a-z0-9-]+)*)");
    /** {@code @ConditionalOnProperty(prefix = "gbm.lock.group-lookup", name = "enabled")}. */
    private static final Pattern PREFIX_AND_NAME =
            Pattern.compile("prefix = \"(gbm\\.[a-z0-9.-]+)\",\\s*name = \"([a-z0-9.-]+)\"");

    private static final Pattern PLACEHOLDER_DEFAULT = Pattern.compile("\\$\\{(gbm\\.[a-z0-9.-]+):([^}\"]*)}");

    /** A setting the table names, with the default cell's value for it (null when the cell gives none per name). */
    record Row(String setting, String defaultCell) {}

    /** A setting a properties class binds, with the value a fresh instance holds. */
    private record Bound(String setting, Field field, Object fresh) {}

    private static List<Row> rows;
    private static List<Bound> bound;

    @BeforeAll
    static void read() throws Exception {
        rows = tableRows(Files.readAllLines(readme()));
        bound = boundSettings();
    }

    @Test
    void everyBoundSettingHasARow() {
        assertThat(bound).hasSizeGreaterThan(100);
        List<String> missing = bound.stream()
                .map(Bound::setting)
                .filter(setting -> rowOf(setting) == null)
                .toList();
        assertThat(missing)
                .as("gbm.* settings without a row in README's configuration table")
                .isEmpty();
    }

    /**
     * Settings read one by one ({@code @Value("${gbm...}")}, {@code environment.getProperty("gbm...")}, {@code
     * @ConditionalOnProperty(name = "gbm...")}), found in the main sources: {@code gbm.outage.redis-reconnect-wait} had
     * no row.
     */
    @Test
    void everySettingReadByNameHasARow() throws Exception {
        Set<String> read = new TreeSet<>();
        for (MatchResult match : mainSourceMatches(READ_BY_NAME)) {
            read.add(match.group(1));
        }
        assertThat(read).hasSizeGreaterThan(20);
        assertThat(read.stream().filter(setting -> rowOf(setting) == null).toList())
                .as("gbm.* settings read by name without a row in README's configuration table")
                .isEmpty();
    }

    /**
     * The other way round: every {@code gbm.*} row names a setting the code binds or reads (or names in a string:
     * read by name, a key prefix, a conditional), so a newcomer never sets one that nothing reads (a row left behind
     * by a rename). A group row ({@code gbm.notify.secrets.}) needs a setting under it or the map it keys.
     */
    @Test
    void everyRowNamesASettingTheCodeReads() throws Exception {
        Set<String> read = new TreeSet<>();
        bound.forEach(setting -> read.add(setting.setting()));
        for (Pattern named : List.of(READ_BY_NAME, NAMED_IN_A_STRING)) {
            for (MatchResult match : mainSourceMatches(named)) {
                read.add(match.group(1));
            }
        }
        for (MatchResult match : mainSourceMatches(PREFIX_AND_NAME)) {
            read.add(match.group(1) + "." + match.group(2));
        }
        List<String> unread = rows.stream()
                .map(Row::setting)
                .filter(setting -> setting.startsWith("gbm."))
                .filter(setting -> read.stream()
                        .noneMatch(known -> known.equals(setting)
                                || setting.endsWith(".") && (known.startsWith(setting) || setting.equals(known + "."))))
                .toList();
        assertThat(unread)
                .as("README rows naming gbm.* settings that no code binds or reads")
                .isEmpty();
    }

    /** The default written in a placeholder ({@code ${gbm.x:30s}}) is the row's leading default. */
    @Test
    void aPlaceholderDefaultIsTheRowsDefault() throws Exception {
        Map<String, String> wrong = new TreeMap<>();
        int compared = 0;
        for (MatchResult match : mainSourceMatches(PLACEHOLDER_DEFAULT)) {
            Row row = rowOf(match.group(1));
            if (row == null || row.defaultCell() == null || !row.setting().equals(match.group(1))) {
                continue;
            }
            compared++;
            String documented = leadingValue(row.defaultCell());
            if (!sameValue(documented.equals("empty") ? "" : documented, match.group(2))) {
                wrong.put(match.group(1), "README " + row.defaultCell() + ", code " + match.group(2));
            }
        }
        assertThat(compared).as("placeholder defaults compared").isGreaterThan(20);
        assertThat(wrong).as("README defaults that are not the placeholders'").isEmpty();
    }

    /** Every match of the pattern in the modules' main Java sources and the service's Logback configuration. */
    private static List<MatchResult> mainSourceMatches(Pattern pattern) throws Exception {
        List<MatchResult> found = new ArrayList<>();
        for (Path sources : mainSources()) {
            try (Stream<Path> files = Files.walk(sources)) {
                for (Path file :
                        files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    pattern.matcher(Files.readString(file)).results().forEach(found::add);
                }
            }
        }
        // The console log's settings are read by Logback's configuration: <springProperty source="gbm...">.
        Path logback = ProjectRoot.path().resolve("group-buy-market-app/src/main/resources/logback-spring.xml");
        pattern.matcher(Files.readString(logback)).results().forEach(found::add);
        return found;
    }

    private static boolean sameValue(String documented, String code) {
        if (documented.equals(code)) {
            return true;
        }
        try {
            return DurationStyle.detectAndParse(documented).equals(DurationStyle.detectAndParse(code));
        } catch (IllegalArgumentException notDurations) {
            return false;
        }
    }

    /** A default cell's leading value: the code's; profile overrides and notes follow in brackets. */
    private static String leadingValue(String cell) {
        return cell.replace("`", "").split(" \\(")[0].trim();
    }

    @Test
    void aPlainDefaultCellIsWhatTheCodeHolds() {
        Map<String, String> wrong = new TreeMap<>();
        int compared = 0;
        for (Bound setting : bound) {
            Row row = rowOf(setting.setting());
            if (row == null || row.defaultCell() == null || !row.setting().equals(setting.setting())) {
                continue;
            }
            Object documented = parse(row.defaultCell(), setting.field());
            if (documented == Unparsed.VALUE) {
                continue;
            }
            compared++;
            if (!Objects.equals(documented, setting.fresh())) {
                wrong.put(setting.setting(), "README " + row.defaultCell() + ", code " + setting.fresh());
            }
        }
        assertThat(compared).as("defaults compared").isGreaterThan(80);
        assertThat(wrong).as("README defaults that are not the code's").isEmpty();
    }

    /** The row naming the setting exactly, else one naming a map or a whole group it belongs to. */
    private static Row rowOf(String setting) {
        Row group = null;
        for (Row row : rows) {
            if (row.setting().equals(setting)) {
                return row;
            }
            if (row.setting().endsWith(".") && (setting + ".").startsWith(row.setting())) {
                group = row;
            }
        }
        return group;
    }

    /**
     * The rows of the table under "## Configuration". A first cell names settings as {@code `gbm.a.b-c`} followed by
     * siblings {@code `.d`} (same parent) or {@code `-e`} (same name up to its last dash); a name with {@code <id>},
     * {@code [..]} or {@code *} in it stands for a map or a group ("gbm.notify.secrets."). Default cells list one value
     * per name, split by " / ", when they list as many ("same + `.dead`": the one before and a suffix).
     */
    static List<Row> tableRows(List<String> lines) {
        List<Row> found = new ArrayList<>();
        boolean inTable = false;
        for (String line : lines) {
            if (line.startsWith("## ")) {
                inTable = line.equals("## Configuration");
                continue;
            }
            if (!inTable || !line.startsWith("| `")) {
                continue;
            }
            String[] cells = line.split("\\|");
            List<String> names = new ArrayList<>();
            Matcher matcher = NAME.matcher(cells[1]);
            String first = null;
            while (matcher.find()) {
                String name = matcher.group(1);
                if (first == null) {
                    first = name;
                    names.add(group(name));
                } else if (name.startsWith(".")) {
                    String base = stem(first);
                    names.add(group(base.substring(0, base.lastIndexOf('.')) + name));
                } else if (name.startsWith("-")) {
                    names.add(group(first.substring(0, first.lastIndexOf('-')) + name));
                }
            }
            String[] defaults = cells[3].trim().split(" / ");
            for (int i = 1; i < defaults.length; i++) {
                // "`queue` / same + `.dead`": the value before, with a suffix.
                if (defaults[i].startsWith("same + ")) {
                    defaults[i] = defaults[i - 1].trim()
                            + defaults[i].substring("same + ".length()).trim();
                }
            }
            for (int i = 0; i < names.size(); i++) {
                found.add(new Row(names.get(i), defaults.length == names.size() ? defaults[i].trim() : null));
            }
        }
        return found;
    }

    /** The name up to its first placeholder, wildcard or bracketed key (without the dot before it). */
    private static String stem(String name) {
        int cut = name.length();
        for (String mark : List.of("<", "[", "*")) {
            int at = name.indexOf(mark);
            if (at >= 0) {
                cut = Math.min(cut, at);
            }
        }
        return cut == name.length() ? name : name.substring(0, cut - 1);
    }

    /** A map or group name ends with a dot: every setting under it is covered. */
    private static String group(String name) {
        String stem = stem(name);
        return stem.equals(name) ? name : stem + ".";
    }

    private static List<Bound> boundSettings() throws Exception {
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AnnotationTypeFilter(ConfigurationProperties.class));
        List<Bound> found = new ArrayList<>();
        for (BeanDefinition candidate : scanner.findCandidateComponents(PACKAGE)) {
            Class<?> type = Class.forName(candidate.getBeanClassName());
            String prefix = type.getAnnotation(ConfigurationProperties.class).prefix();
            if (prefix.startsWith("gbm.")) {
                collect(prefix, type.getDeclaredConstructor().newInstance(), found);
            }
        }
        return found;
    }

    /** Every instance field of the class and its superclasses, nested classes of ours walked into. */
    private static void collect(String prefix, Object instance, List<Bound> found) throws Exception {
        for (Class<?> type = instance.getClass(); type != Object.class; type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers()) || field.isSynthetic()) {
                    continue;
                }
                field.setAccessible(true);
                String setting = prefix + "." + DataObjectPropertyName.toDashedForm(field.getName());
                Object value = field.get(instance);
                if (field.getType().getName().startsWith(PACKAGE)
                        && !field.getType().isEnum()) {
                    collect(setting, value, found);
                } else {
                    found.add(new Bound(setting, field, value));
                }
            }
        }
    }

    private enum Unparsed {
        VALUE
    }

    /**
     * The cell's leading value as the field's type, or {@link Unparsed#VALUE} for a cell that gives none (words,
     * "unset", "see ...") or a type not compared (maps but empty ones, floats).
     */
    private static Object parse(String cell, Field field) {
        String value = leadingValue(cell);
        Class<?> type = field.getType();
        try {
            if (type == Duration.class) {
                DurationUnit unit = field.getAnnotation(DurationUnit.class);
                return value.equals("unset")
                        ? null
                        : DurationStyle.detectAndParse(value, unit == null ? ChronoUnit.MILLIS : unit.value());
            }
            if (type == int.class) {
                return Integer.valueOf(value.replace(",", ""));
            }
            if (type == double.class) {
                return Double.valueOf(value);
            }
            if (type == boolean.class) {
                return value.equals("true") || value.equals("false") ? Boolean.valueOf(value) : Unparsed.VALUE;
            }
            if (type == String.class) {
                return value.equals("empty") ? "" : value;
            }
            if (type.isEnum()) {
                return type.getField(value).get(null);
            }
            if (Collection.class.isAssignableFrom(type) && value.equals("empty")) {
                return new ArrayList<>();
            }
            if (List.class.isAssignableFrom(type)
                    && field.getGenericType() instanceof ParameterizedType list
                    && list.getActualTypeArguments()[0] == Duration.class) {
                return Arrays.stream(value.split(","))
                        .map(wait -> DurationStyle.detectAndParse(wait.trim(), ChronoUnit.MILLIS))
                        .toList();
            }
            if (Map.class.isAssignableFrom(type) && (value.equals("none") || value.equals("—"))) {
                return new LinkedHashMap<>();
            }
        } catch (ReflectiveOperationException | IllegalArgumentException notAValue) {
            return Unparsed.VALUE;
        }
        return Unparsed.VALUE;
    }

    private static Path readme() {
        return ProjectRoot.path().resolve("README.md");
    }

    private static List<Path> mainSources() throws Exception {
        try (Stream<Path> modules = Files.list(ProjectRoot.path())) {
            return modules.map(module -> module.resolve("src/main/java"))
                    .filter(Files::isDirectory)
                    .toList();
        }
    }
}
