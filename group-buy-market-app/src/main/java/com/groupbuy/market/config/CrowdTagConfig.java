package com.groupbuy.market.config;

import com.groupbuy.market.domain.tag.adapter.port.ITagBitmap;
import com.groupbuy.market.domain.tag.adapter.repository.ICrowdTagRepository;
import com.groupbuy.market.domain.tag.adapter.repository.IUserBitIndexRepository;
import com.groupbuy.market.domain.tag.service.CrowdTagImportService;
import com.groupbuy.market.domain.tag.service.TagBitmapRepair;
import com.groupbuy.market.trigger.job.OutageOf;
import com.groupbuy.market.trigger.job.RunFailureLog;
import com.groupbuy.market.types.progress.ProgressBoard;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The crowd-tag import use case with its configured page size. */
@Configuration
public class CrowdTagConfig {

    /** {@code gbm.tag.user-index-cache-ttl}, bound and checked, for the user bit index repository. */
    @Bean
    public Duration userIndexCacheTtl(CrowdTagProperties properties) {
        return properties.getUserIndexCacheTtl();
    }

    @Bean
    public CrowdTagImportService crowdTagImportService(
            ICrowdTagRepository tags,
            IUserBitIndexRepository bitIndex,
            ITagBitmap bitmap,
            CrowdTagProperties properties,
            ProgressBoard progressBoard) {
        return new CrowdTagImportService(tags, bitIndex, bitmap, properties.getImportBatchSize(), progressBoard);
    }

    /**
     * Rebuilds of bitmaps Redis lost, one at a time on one daemon thread (a rebuild is an import: a page query and a
     * Redis write per page; after a loss every imported tag needs one, and they are not urgent, the database answers
     * meanwhile). A full queue drops the ask; a later check asks again.
     */
    @Bean(destroyMethod = "shutdownNow")
    public ExecutorService tagRebuildExecutor() {
        return new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(1000), runnable -> {
            Thread thread = new Thread(runnable, "tag-bitmap-rebuild");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Its rebuilds' outages logged once each ({@link RunFailureLog}): WARN {@code crowd tag bitmap rebuild failed: redis
     * unavailable (…)} when they start failing, INFO {@code crowd tag bitmap rebuild completes again: …} when one runs.
     */
    @Bean
    public TagBitmapRepair tagBitmapRepair(
            ICrowdTagRepository tags,
            ITagBitmap bitmap,
            CrowdTagImportService imports,
            @Qualifier("tagRebuildExecutor") ExecutorService tagRebuildExecutor,
            CrowdTagProperties properties,
            OutageOf outageOf) {
        return new TagBitmapRepair(
                tags,
                bitmap,
                imports,
                tagRebuildExecutor,
                properties.getRebuildLease(),
                new RunFailureLog("crowd tag bitmap rebuild", "rebuilds", outageOf));
    }
}
