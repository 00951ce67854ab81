package com.groupbuy.market.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.support.ProjectRoot;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Keeps docs/partner-scope.md, the audit of how every statement a partner's call reaches is kept to that partner, in
 * step with the mappers: every statement (mapper XML, and the DAO methods whose SQL a provider class builds) is named
 * there, so a new one cannot arrive unclassified; and every statement binding a partner's id for its users ({@code
 * userId}, {@code outTradeNo}) binds that partner's {@code source} and {@code channel} too, for the same key (a user id
 * is a partner's own namespace: bound alone, partner B's {@code u1} reads partner A's).
 */
class PartnerScopeTableTest {

    private static final Path MAPPERS = Path.of("group-buy-market-app/src/main/resources/mybatis/mapper");
    private static final Path DAOS = Path.of("group-buy-market-infrastructure/src/main/java");
    private static final Path TABLE = Path.of("docs/partner-scope.md");
    private static final Set<String> STATEMENTS = Set.of("select", "insert", "update", "delete");
    /** A partner's user-namespace id bound by a statement, with what it is bound under ("keys[0]." or nothing). */
    private static final Pattern PARTNER_ID = Pattern.compile("#\\{\\s*([\\w.\\[\\]]*?)(userId|outTradeNo)\\s*[,}]");
    /** {@code @SelectProvider(type = LookupSql.class, method = "joins")}, other annotations, the method's name. */
    private static final Pattern PROVIDER =
            Pattern.compile("@(?:Select|Insert|Update|Delete)Provider\\(type = (\\w+)\\.class, method = \"(\\w+)\"\\)"
                    + "\\s*(?:@\\w+\\([^)]*\\)\\s*)*[\\w<>\\[\\], ?]+?\\s(\\w+)\\(");
    /** A backticked name in the doc: {@code IDao.id}, {@code IDao.*}, or a bare id of the last DAO named before it. */
    private static final Pattern NAMED = Pattern.compile("`(I\\w+Dao)\\.(\\w+|\\*)`|`(\\w+)`");

    @Test
    void theTableNamesEveryStatement() throws Exception {
        Set<String> named = namedIn(Files.readString(ProjectRoot.path().resolve(TABLE)));

        Set<String> unnamed = new TreeSet<>();
        for (String statement : statements().keySet()) {
            String dao = statement.substring(0, statement.indexOf('.'));
            if (!named.contains(statement) && !named.contains(dao + ".*")) {
                unnamed.add(statement);
            }
        }

        assertThat(unnamed)
                .as("statements docs/partner-scope.md does not classify (add each to its entry point's table)")
                .isEmpty();
    }

    @Test
    void everyStatementBindingAPartnersUserIdBindsThePartner() throws Exception {
        Map<String, String> unscoped = new LinkedHashMap<>();
        statements().forEach((statement, sql) -> {
            String problem = unscopedPartnerId(sql);
            if (problem != null) {
                unscoped.put(statement, problem);
            }
        });

        assertThat(unscoped).isEmpty();
    }

    /** The checks themselves can fail: an unscoped user id, a key whose partner is another key's, an unnamed id. */
    @Test
    void theChecksRefuseWhatTheyGuardAgainst() {
        assertThat(unscopedPartnerId("SELECT 1 FROM l WHERE user_id = #{userId} AND status = #{s}"))
                .isNotNull();
        assertThat(unscopedPartnerId("WHERE user_id = #{keys[1].userId,javaType=string} AND source = #{keys[0].source}"
                        + " AND channel = #{keys[0].channel}"))
                .isNotNull();
        assertThat(unscopedPartnerId("WHERE user_id = #{userId} AND source = #{source} AND channel = #{channel}"))
                .isNull();
        assertThat(namedIn("`IOrderDao.read`, `write`; `IOtherDao.*` then `ignored words`"))
                .contains("IOrderDao.read", "IOrderDao.write", "IOtherDao.*")
                .doesNotContain("IOtherDao.read");
    }

    /** Null when every partner id the SQL binds comes with the same key's source and channel; else which lacks them. */
    static String unscopedPartnerId(String sql) {
        Matcher id = PARTNER_ID.matcher(sql);
        while (id.find()) {
            String under = id.group(1);
            for (String part : List.of("source", "channel")) {
                if (!Pattern.compile("#\\{\\s*" + Pattern.quote(under + part) + "\\s*[,}]")
                        .matcher(sql)
                        .find()) {
                    return "binds #{" + under + id.group(2) + "} without #{" + under + part + "}";
                }
            }
        }
        return null;
    }

    /** {@code IDao.id} for every statement the doc names, a bare id counting for the last DAO named before it. */
    static Set<String> namedIn(String doc) {
        Set<String> named = new TreeSet<>();
        String dao = null;
        Matcher name = NAMED.matcher(doc);
        while (name.find()) {
            if (name.group(1) != null) {
                dao = name.group(1);
                named.add(dao + "." + name.group(2));
            } else if (dao != null) {
                named.add(dao + "." + name.group(3));
            }
        }
        return named;
    }

    /** Every statement, {@code IDao.id} to its SQL (XML includes expanded; a provider's text for two keys). */
    private static Map<String, String> statements() throws Exception {
        Map<String, String> statements = new LinkedHashMap<>();
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        DocumentBuilder builder = factory.newDocumentBuilder();
        for (Path xml : files(MAPPERS, ".xml")) {
            Element mapper = builder.parse(xml.toFile()).getDocumentElement();
            String namespace = mapper.getAttribute("namespace");
            String dao = namespace.substring(namespace.lastIndexOf('.') + 1);
            Map<String, Element> fragments = new HashMap<>();
            List<Element> found = new ArrayList<>();
            NodeList children = mapper.getChildNodes();
            for (int i = 0; i < children.getLength(); i++) {
                if (children.item(i) instanceof Element element) {
                    if (element.getTagName().equals("sql")) {
                        fragments.put(element.getAttribute("id"), element);
                    } else if (STATEMENTS.contains(element.getTagName())) {
                        found.add(element);
                    }
                }
            }
            for (Element statement : found) {
                statements.put(dao + "." + statement.getAttribute("id"), text(statement, fragments));
            }
        }
        for (Path source : files(DAOS, "Dao.java")) {
            String dao = source.getFileName().toString().replace(".java", "");
            Matcher provider = PROVIDER.matcher(Files.readString(source));
            while (provider.find()) {
                String packageName = ProjectRoot.path()
                        .resolve(DAOS)
                        .relativize(source.getParent())
                        .toString()
                        .replace('/', '.');
                statements.put(dao + "." + provider.group(3), providedSql(packageName, provider));
            }
        }
        return statements;
    }

    private static String providedSql(String packageName, Matcher provider) throws Exception {
        Method build = Class.forName(packageName + "." + provider.group(1)).getMethod(provider.group(2), Map.class);
        // Every list parameter two entries long, so each key's own bindings are told apart.
        Map<String, Object> twoOfEach = new HashMap<>() {
            @Override
            public Object get(Object key) {
                return List.of(1, 2);
            }
        };
        return (String) build.invoke(null, twoOfEach);
    }

    private static String text(Node node, Map<String, Element> fragments) {
        if (node instanceof Element element && element.getTagName().equals("include")) {
            Element fragment = fragments.get(element.getAttribute("refid"));
            return fragment == null ? "" : text(fragment, fragments);
        }
        if (!(node instanceof Element)) {
            return node.getNodeType() == Node.COMMENT_NODE ? "" : node.getTextContent();
        }
        StringBuilder text = new StringBuilder();
        NodeList children = node.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            text.append(text(children.item(i), fragments));
        }
        return text.toString();
    }

    private static List<Path> files(Path under, String suffix) throws IOException {
        try (Stream<Path> walk = Files.walk(ProjectRoot.path().resolve(under))) {
            return walk.filter(p -> p.getFileName().toString().endsWith(suffix))
                    .sorted()
                    .toList();
        }
    }
}
