package com.groupbuy.market.config;

import com.groupbuy.market.domain.tag.adapter.port.ITagBitmap;
import com.groupbuy.market.domain.tag.adapter.repository.ICrowdTagRepository;
import com.groupbuy.market.domain.tag.adapter.repository.IUserBitIndexRepository;
import com.groupbuy.market.domain.tag.service.CrowdTagImportService;
import com.groupbuy.market.types.progress.ProgressBoard;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The crowd-tag import use case with its configured page size. */
@Configuration
public class CrowdTagConfig {

    @Bean
    public CrowdTagImportService crowdTagImportService(
            ICrowdTagRepository tags,
            IUserBitIndexRepository bitIndex,
            ITagBitmap bitmap,
            CrowdTagProperties properties,
            ProgressBoard progressBoard) {
        return new CrowdTagImportService(tags, bitIndex, bitmap, properties.getImportBatchSize(), progressBoard);
    }
}
