package com.groupbuy.market.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.infrastructure.trade.repository.LockGroupCommit;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.test.context.junit.jupiter.SpringExtension;

/** A group-commit run that silently wrote each lock alone would prove nothing: this makes it fail instead. */
public class LockGroupCommitCheck implements BeforeEachCallback {

    @Override
    public void beforeEach(ExtensionContext context) {
        assertThat(SpringExtension.getApplicationContext(context)
                        .getBeanProvider(LockGroupCommit.class)
                        .getIfAvailable())
                .as("the group commit writer (gbm.lock.group-commit.enabled=true)")
                .isNotNull();
    }
}
