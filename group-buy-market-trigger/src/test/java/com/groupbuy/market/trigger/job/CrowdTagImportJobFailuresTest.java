package com.groupbuy.market.trigger.job;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import com.groupbuy.market.domain.tag.adapter.port.ITagBitmap;
import com.groupbuy.market.domain.tag.adapter.repository.ICrowdTagRepository;
import com.groupbuy.market.domain.tag.adapter.repository.IUserBitIndexRepository;
import com.groupbuy.market.domain.tag.model.entity.CrowdTagJobEntity;
import com.groupbuy.market.domain.tag.model.valobj.PartnerUserVO;
import com.groupbuy.market.domain.tag.model.valobj.TagImportJobStatus;
import com.groupbuy.market.domain.tag.model.valobj.TagMemberVO;
import com.groupbuy.market.domain.tag.service.CrowdTagImportService;
import com.groupbuy.market.trigger.support.LogEvents;
import com.xxl.job.core.context.XxlJobContext;
import java.nio.file.Path;
import java.sql.SQLTransientConnectionException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code crowdTagImportJob}'s failed runs, over in-memory ports: a run failing for a database outage is one WARN when the
 * outage starts and one INFO when a run completes again, as the other handlers' ({@link XxlRunFailuresTest}); each run
 * still reported failed to the console. An operator's mistake (a parameter naming no job) is refused each run, and any
 * other failure is an ERROR with its stack naming the run's parameter each run. Before, every run during the outage
 * logged an ERROR with its stack. The real outage: DatabaseOutageOperationsIT.
 */
class CrowdTagImportJobFailuresTest {

    @TempDir
    Path dir;

    @RegisterExtension
    final LogEvents events = new LogEvents(RunFailureLog.class, CrowdTagImportJob.class);

    /** The database down: every repository call fails as the pool's would. */
    private final AtomicBoolean down = new AtomicBoolean();
    /** An operator abandoned the job while it ran: the run's record of it refused. */
    private final AtomicBoolean abandoned = new AtomicBoolean();

    private final CrowdTagJobEntity job = new CrowdTagJobEntity("b-T", "T", TagImportJobStatus.CREATED);
    private final List<TagMemberVO> rows = List.of(new TagMemberVO(1, "s01", "c01", "u1"));

    /** As the app's resolver: a connection the database refused, anywhere in the chain, is its outage. */
    private final OutageOf outageOf = failure -> {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException) {
                return "database";
            }
        }
        return null;
    };

    private final ICrowdTagRepository tags = new ICrowdTagRepository() {
        @Override
        public boolean existsTag(String tagId) {
            database();
            return "T".equals(tagId);
        }

        @Override
        public CrowdTagJobEntity queryJobByBatchId(String batchId) {
            database();
            return job.getBatchId().equals(batchId) ? job : null;
        }

        @Override
        public CrowdTagJobEntity queryLatestJobOfTag(String tagId) {
            database();
            return job.getTagId().equals(tagId) ? job : null;
        }

        @Override
        public long countMembersWithoutPartner(String tagId) {
            database();
            return 0;
        }

        @Override
        public List<TagMemberVO> queryMembers(String tagId, long afterId, int limit) {
            database();
            return rows.stream().filter(row -> row.id() > afterId).limit(limit).toList();
        }

        @Override
        public boolean finishJob(
                String tagId, String batchId, long members, TagImportJobStatus to, List<TagImportJobStatus> from) {
            database();
            return !abandoned.get();
        }
    };

    private final IUserBitIndexRepository bitIndex = new IUserBitIndexRepository() {
        @Override
        public Map<PartnerUserVO, Long> assign(Collection<PartnerUserVO> users) {
            Map<PartnerUserVO, Long> positions = new HashMap<>();
            users.forEach(user -> positions.put(user, (long) positions.size()));
            return positions;
        }

        @Override
        public Long find(PartnerUserVO user) {
            return null;
        }
    };

    private final ITagBitmap bitmap = new ITagBitmap() {
        private final Map<String, Integer> staged = new HashMap<>();

        @Override
        public void stage(String tagId, String runId, long[] positions) {
            staged.merge(runId, positions.length, Integer::sum);
        }

        @Override
        public long beginRun(String tagId) {
            return 1;
        }

        @Override
        public boolean publishedAfter(String tagId, long run) {
            return false;
        }

        @Override
        public Publish publish(String tagId, String runId, String batchId, long members, long run) {
            return staged.getOrDefault(runId, 0) == members ? Publish.PUBLISHED : Publish.INCOMPLETE;
        }

        @Override
        public boolean isLoaded(String tagId) {
            return false;
        }

        @Override
        public boolean contains(String tagId, long position) {
            return false;
        }
    };

    private final CrowdTagImportJob handler =
            new CrowdTagImportJob(new CrowdTagImportService(tags, bitIndex, bitmap, 100), outageOf);

    @AfterEach
    void clear() {
        JobRun.clear();
    }

    @Test
    void runsFailingForADatabaseOutageAreOneWarningThenOneInfoAndEachIsReportedFailed() throws Exception {
        down.set(true);
        for (int run = 0; run < 4; run++) {
            XxlJobContext context = run("b-T");
            assertThat(context.getHandleCode()).isEqualTo(XxlJobContext.HANDLE_CODE_FAIL);
            assertThat(context.getHandleMsg()).isEqualTo("crowdTagImportJob failed: Could not open JDBC Connection");
        }
        down.set(false);
        XxlJobContext back = run("T");

        assertThat(back.getHandleCode()).isEqualTo(XxlJobContext.HANDLE_CODE_SUCCESS);
        List<ILoggingEvent> failureLines = failureLines();
        assertThat(failureLines).extracting(ILoggingEvent::getLevel).containsExactly(Level.WARN, Level.INFO);
        assertThat(failureLines.get(0).getFormattedMessage())
                .isEqualTo("crowdTagImportJob failed: database unavailable (SQLTransientConnectionException: "
                        + "Connection refused); the next runs retry, and once one completes that is logged");
        assertThat(failureLines.get(0).getThrowableProxy())
                .as("no stack in the app log")
                .isNull();
        assertThat(failureLines.get(1).getFormattedMessage())
                .startsWith("crowdTagImportJob completes again: database was unavailable for 4 runs in ");
        assertThat(JobRun.log(dir))
                .as("the console's job log keeps each run's stack")
                .contains("java.sql.SQLTransientConnectionException: Connection refused");
    }

    /** A parameter naming no job is the operator's to fix: refused in the run's result, a WARN each run, no stack. */
    @Test
    void aParameterNamingNoJobIsRefusedEachRunAsBefore() throws Exception {
        for (int run = 0; run < 2; run++) {
            XxlJobContext context = run("nope");
            assertThat(context.getHandleCode()).isEqualTo(XxlJobContext.HANDLE_CODE_FAIL);
            assertThat(context.getHandleMsg())
                    .isEqualTo("crowdTagImportJob refused: no crowd tag job for batch or tag nope");
        }

        assertThat(failureLines()).extracting(ILoggingEvent::getLevel).containsExactly(Level.WARN, Level.WARN);
        assertThat(failureLines())
                .allSatisfy(line -> assertThat(line.getFormattedMessage())
                        .isEqualTo("crowdTagImportJob param='nope' refused: no crowd tag job for batch or tag nope"))
                .allSatisfy(line -> assertThat(line.getThrowableProxy()).isNull());
    }

    /** A failure that is no outage (the job abandoned while it ran) is an ERROR naming the parameter, each run. */
    @Test
    void aFailureThatIsNoOutageIsAnErrorWithItsStackEachRun() throws Exception {
        abandoned.set(true);
        for (int run = 0; run < 2; run++) {
            XxlJobContext context = run("b-T");
            assertThat(context.getHandleCode()).isEqualTo(XxlJobContext.HANDLE_CODE_FAIL);
            assertThat(context.getHandleMsg())
                    .startsWith("crowdTagImportJob failed: crowd tag job b-T of tag T was " + "abandoned while it ran");
        }

        assertThat(failureLines()).extracting(ILoggingEvent::getLevel).containsExactly(Level.ERROR, Level.ERROR);
        assertThat(failureLines())
                .allSatisfy(line ->
                        assertThat(line.getFormattedMessage()).isEqualTo("crowdTagImportJob param='b-T' failed"))
                .allSatisfy(line ->
                        assertThat(line.getThrowableProxy()).as("its stack").isNotNull());
    }

    private XxlJobContext run(String param) {
        XxlJobContext context = JobRun.start(dir, param);
        handler.crowdTagImportJob();
        return context;
    }

    /** The app log's lines about failed runs: every WARN or ERROR, and the INFO that an outage ended. */
    private List<ILoggingEvent> failureLines() {
        return events.list().stream()
                .filter(event -> event.getLevel() != Level.INFO
                        || event.getFormattedMessage().contains("completes again"))
                .toList();
    }

    /** Throws as the pool does while the database is down. */
    private void database() {
        if (down.get()) {
            throw new IllegalStateException(
                    "Could not open JDBC Connection", new SQLTransientConnectionException("Connection refused"));
        }
    }
}
