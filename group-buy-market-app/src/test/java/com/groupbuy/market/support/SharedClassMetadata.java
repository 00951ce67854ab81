package com.groupbuy.market.support;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.type.classreading.ConcurrentReferenceCachingMetadataReaderFactory;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.core.io.Resource;
import org.springframework.core.type.classreading.MetadataReader;
import org.springframework.core.type.classreading.MetadataReaderFactory;

/**
 * What each test context read of the class files (its component scan, its configuration and auto-configuration
 * classes), kept for the next contexts of the same JVM. Every test class starts a context of its own, and each read
 * the same unchanged class files again: Spring keeps that cache for one context's start and drops it after.
 */
final class SharedClassMetadata {

    /** Boot's per-context factory (SharedMetadataReaderFactoryContextInitializer.BEAN_NAME, package-private). */
    private static final String BOOT_FACTORY =
            "org.springframework.boot.autoconfigure.internalCachingMetadataReaderFactory";

    private static final Map<Resource, MetadataReader> SCANNED = new ConcurrentHashMap<>();
    private static final MetadataReaderFactory PARSED =
            new ConcurrentReferenceCachingMetadataReaderFactory(SharedClassMetadata.class.getClassLoader());

    private SharedClassMetadata() {}

    static void share(ConfigurableApplicationContext context) {
        if (!(context instanceof DefaultResourceLoader loader)) {
            return;
        }
        // The component scan's cache, which the context empties when its start ends: filled before, kept after.
        Map<Resource, MetadataReader> scanned = loader.getResourceCache(MetadataReader.class);
        scanned.putAll(SCANNED);
        context.addBeanFactoryPostProcessor(new BeanDefinitionRegistryPostProcessor() {
            @Override
            public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) throws BeansException {
                // Runs after Boot's initializer registered its per-context factory, before configuration parsing.
                RootBeanDefinition shared = new RootBeanDefinition(MetadataReaderFactory.class, () -> PARSED);
                registry.removeBeanDefinition(BOOT_FACTORY);
                registry.registerBeanDefinition(BOOT_FACTORY, shared);
            }

            @Override
            public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) throws BeansException {
                // Runs after the configuration classes were parsed and scanned.
                SCANNED.putAll(scanned);
            }
        });
    }
}
