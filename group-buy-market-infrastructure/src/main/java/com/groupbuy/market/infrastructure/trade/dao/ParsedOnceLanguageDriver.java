package com.groupbuy.market.infrastructure.trade.dao;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.ibatis.mapping.SqlSource;
import org.apache.ibatis.scripting.xmltags.XMLLanguageDriver;
import org.apache.ibatis.session.Configuration;

/**
 * MyBatis's own language, but a provider's SQL text is parsed once per distinct text: MyBatis parses a
 * {@code @SelectProvider}'s text again on every call, and for {@link LookupSql}'s batch statements (one text per batch
 * size) that parse cost the lock-lookup reader more than the statements it saved (#19, branch lockcpu). The parsed
 * source holds no call's values, so one serves every call with the same text. Texts beyond {@link #MAX_TEXTS} are
 * parsed as before rather than kept, so a provider with unbounded texts cannot grow the cache.
 */
public class ParsedOnceLanguageDriver extends XMLLanguageDriver {

    static final int MAX_TEXTS = 256;

    private final Map<Parse, SqlSource> parsed = new ConcurrentHashMap<>();

    @Override
    public SqlSource createSqlSource(Configuration configuration, String script, Class<?> parameterType) {
        Parse key = new Parse(configuration, script, parameterType);
        SqlSource source = parsed.get(key);
        if (source != null) {
            return source;
        }
        source = super.createSqlSource(configuration, script, parameterType);
        if (parsed.size() < MAX_TEXTS) {
            parsed.putIfAbsent(key, source);
        }
        return source;
    }

    private record Parse(Configuration configuration, String script, Class<?> parameterType) {}
}
