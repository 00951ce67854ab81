package com.groupbuy.market.config.openapi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;
import java.util.TreeSet;
import org.springdoc.core.properties.SwaggerUiConfigProperties;
import org.springdoc.webmvc.ui.SwaggerResourceResolver;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.ResourcePatternResolver;

/**
 * springdoc's resolver of the Swagger UI's files, asked about the webjars this service ships only. The UI's resource
 * handlers ({@code /webjars/**}, {@code /*swagger-ui/**}) need no token, and the resolver looked up the first path
 * segment of any file it did not find as a webjar name in webjars-locator-lite, whose cache keeps every name ever asked
 * (the answer "no such webjar" too) without bound or expiry: one entry per made-up name, for good. A name that is not
 * a shipped webjar is now answered "not found" without a lookup, as the lookup would have answered it.
 */
public class ShippedWebJarsResolver extends SwaggerResourceResolver {

    /** Where webjars keep their files: {@code META-INF/resources/webjars/<name>/<version>/…}. */
    static final String WEBJARS = "META-INF/resources/webjars/";

    private final Set<String> shipped;

    public ShippedWebJarsResolver(SwaggerUiConfigProperties properties, Set<String> shipped) {
        super(properties);
        this.shipped = Set.copyOf(shipped);
    }

    /** The webjars on the class path: each folder directly under {@link #WEBJARS}. */
    public static Set<String> onClassPath(ResourcePatternResolver resources) {
        Set<String> names = new TreeSet<>();
        try {
            for (Resource folder : resources.getResources("classpath*:" + WEBJARS + "*/")) {
                String url = folder.getURL().toString();
                String path = url.substring(url.lastIndexOf(WEBJARS) + WEBJARS.length());
                String name = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
                if (!name.isEmpty() && name.indexOf('/') < 0) {
                    names.add(name);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("webjars on the class path not listed", e);
        }
        return names;
    }

    @Override
    protected String findWebJarResourcePath(String path) {
        String webJar = webJarOf(path);
        return webJar != null && shipped.contains(webJar) ? super.findWebJarResourcePath(path) : null;
    }

    /** The first segment of a resource path, which the lookup reads as a webjar name; null when there is none. */
    static String webJarOf(String path) {
        int start = path.startsWith("/") ? 1 : 0;
        int end = path.indexOf('/', start);
        return end < 0 ? null : path.substring(start, end);
    }
}
