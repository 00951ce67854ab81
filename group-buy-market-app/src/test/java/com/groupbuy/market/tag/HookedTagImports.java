package com.groupbuy.market.tag;

import com.groupbuy.market.domain.tag.adapter.repository.ICrowdTagRepository;
import com.groupbuy.market.domain.tag.adapter.repository.IUserBitIndexRepository;
import com.groupbuy.market.domain.tag.service.CrowdTagImportService;
import com.groupbuy.market.domain.tag.service.ITagMembershipService;
import com.groupbuy.market.infrastructure.tag.port.TagBitmap;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Test support for integration tests that make an import run meet an event at a chosen point of its pages (a Redis
 * restart, another run, an operator's change): the app's tables, tag repository, bit index and bitmap, and an import
 * over a {@link HookedTagRepository} of the real repository with pages of a test's size.
 */
abstract class HookedTagImports {

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    ICrowdTagRepository tags;

    @Autowired
    IUserBitIndexRepository bitIndex;

    @Autowired
    TagBitmap bitmap;

    @Autowired
    ITagMembershipService membership;

    /** An import over {@code repository} (the real one, hooked) in pages of {@code pageSize} member rows. */
    CrowdTagImportService importOver(ICrowdTagRepository repository, int pageSize) {
        return new CrowdTagImportService(repository, bitIndex, bitmap, pageSize);
    }
}
