package com.groupbuy.market.domain.tag.adapter.repository;

import com.groupbuy.market.domain.tag.model.valobj.TagImportJobVO;
import java.util.List;

/** Crowd-tag import jobs for the operators' console, newest first. */
public interface ITagImportAdminRepository {

    List<TagImportJobVO> importJobs(int offset, int limit);

    long countImportJobs();
}
