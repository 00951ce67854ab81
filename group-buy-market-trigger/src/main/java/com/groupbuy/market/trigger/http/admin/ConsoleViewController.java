package com.groupbuy.market.trigger.http.admin;

import com.groupbuy.market.api.response.Response;
import com.groupbuy.market.domain.activity.adapter.port.IMarketSwitches;
import com.groupbuy.market.domain.activity.adapter.repository.IActivityAdminRepository;
import com.groupbuy.market.domain.activity.model.valobj.ActivityAdminVO;
import com.groupbuy.market.domain.activity.model.valobj.MarketSwitchesVO;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskSummaryVO;
import com.groupbuy.market.domain.outbox.service.NotifyTaskOperations;
import com.groupbuy.market.domain.tag.adapter.repository.ITagImportAdminRepository;
import com.groupbuy.market.domain.tag.model.valobj.TagImportJobVO;
import com.groupbuy.market.domain.tag.service.CrowdTagImportService;
import com.groupbuy.market.domain.trade.adapter.repository.ITeamAdminRepository;
import com.groupbuy.market.domain.trade.model.valobj.TeamAdminVO;
import com.groupbuy.market.domain.trade.model.valobj.TeamStatus;
import com.groupbuy.market.trigger.http.Envelope;
import com.groupbuy.market.types.enums.ResponseCode;
import com.groupbuy.market.types.exception.AppException;
import com.groupbuy.market.types.progress.ProgressBoard;
import com.groupbuy.market.types.progress.WorkProgress;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * What the operators' console reads: activities, an activity's teams with their first members (and a team's members
 * page by page), notify tasks with a total,
 * crowd-tag import jobs with their progress, and the switches in force. Paged like every admin listing
 * ({@link AdminPaging}); admin token (or the console's session) required.
 */
@RestController
@RequestMapping("/api/v1/gbm/admin/console/")
public class ConsoleViewController {

    /** A team with the seconds left until its window closes (the console counts down from it). */
    public record TeamView(TeamAdminVO team, long secondsLeft) {}

    /** An import job and, when this instance ran it, its progress. */
    public record ImportView(TagImportJobVO job, WorkProgress progress) {}

    /** The switches in force, and where they come from. */
    public record SwitchesView(boolean degrade, int cutRangePercent, String source, Instant readAt) {}

    private final IActivityAdminRepository activities;
    private final ITeamAdminRepository teams;
    private final ITagImportAdminRepository imports;
    private final NotifyTaskOperations tasks;
    private final IMarketSwitches switches;
    private final ProgressBoard board;
    private final Clock clock;
    private final AdminToken adminToken;

    public ConsoleViewController(
            IActivityAdminRepository activities,
            ITeamAdminRepository teams,
            ITagImportAdminRepository imports,
            NotifyTaskOperations tasks,
            IMarketSwitches switches,
            ProgressBoard board,
            Clock clock,
            AdminToken adminToken) {
        this.activities = activities;
        this.teams = teams;
        this.imports = imports;
        this.tasks = tasks;
        this.switches = switches;
        this.board = board;
        this.clock = clock;
        this.adminToken = adminToken;
    }

    @GetMapping("activities")
    public ResponseEntity<Response<AdminPage<ActivityAdminVO>>> activities(
            @RequestHeader(value = "X-Admin-Token", required = false) String given,
            @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "50") int size) {
        return authorized(
                given,
                () -> new AdminPage<>(
                        activities.page(offset(page, size), AdminPaging.size(size)), activities.count(), page, size));
    }

    /**
     * {@code status}: 0 in progress (the default), 1 complete, 2 failed, 3 complete with a refund; {@code all=true}.
     * Any other status is {@code 0002} naming these (before, an empty page). An {@code activityId} that names no
     * activity (and no team) is {@code 0002} saying so; before, an empty page, which read as "no teams".
     */
    @GetMapping("activities/{activityId}/teams")
    public ResponseEntity<Response<AdminPage<TeamView>>> teams(
            @RequestHeader(value = "X-Admin-Token", required = false) String given,
            @PathVariable long activityId,
            @RequestParam(required = false) Integer status,
            @RequestParam(defaultValue = "false") boolean all,
            @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "50") int size) {
        return authorized(given, () -> {
            AdminFilters.checkStatus(status, StatusLabels.TEAM);
            Integer filter = all ? null : status == null ? TeamStatus.OPEN.code() : status;
            Instant now = Instant.now(clock);
            List<TeamView> items = teams.page(activityId, filter, offset(page, size), AdminPaging.size(size)).stream()
                    .map(team -> new TeamView(
                            team,
                            team.validEndTime() == null
                                    ? 0
                                    : Math.max(0, team.validEndTime().getEpochSecond() - now.getEpochSecond())))
                    .toList();
            long total = teams.count(activityId, filter);
            if (total == 0 && !teams.activityNamed(activityId)) {
                throw namesNothing("activityId", String.valueOf(activityId), "activity");
            }
            return new AdminPage<>(items, total, page, size);
        });
    }

    /**
     * One team's member orders, oldest first, a page at a time: the teams page carries each team's member count and
     * only its first {@link TeamAdminVO#MEMBERS_SHOWN}. A team id is up to 8 digits; one that names no team is {@code
     * 0002} saying so (before, an empty page, which read as "no members").
     */
    @GetMapping("teams/{teamId}/members")
    public ResponseEntity<Response<AdminPage<TeamAdminVO.Member>>> members(
            @RequestHeader(value = "X-Admin-Token", required = false) String given,
            @PathVariable String teamId,
            @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "50") int size) {
        return authorized(given, () -> {
            List<TeamAdminVO.Member> items =
                    teams.members(AdminTeamId.checked(teamId), offset(page, size), AdminPaging.size(size));
            long total = teams.countMembers(teamId);
            if (total == 0 && !teams.teamNamed(teamId)) {
                throw namesNothing("teamId", teamId, "team");
            }
            return new AdminPage<>(items, total, page, size);
        });
    }

    @GetMapping("notify/tasks")
    public ResponseEntity<Response<AdminPage<NotifyTaskSummaryVO>>> tasks(
            @RequestHeader(value = "X-Admin-Token", required = false) String given,
            @RequestParam(required = false) Integer status,
            @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "50") int size) {
        return authorized(given, () -> {
            AdminFilters.checkStatus(status, StatusLabels.NOTIFY_TASK);
            return new AdminPage<>(
                    tasks.list(status, null, AdminPaging.page(page), AdminPaging.size(size)),
                    tasks.count(status, null),
                    page,
                    size);
        });
    }

    @GetMapping("tag-imports")
    public ResponseEntity<Response<AdminPage<ImportView>>> imports(
            @RequestHeader(value = "X-Admin-Token", required = false) String given,
            @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "50") int size) {
        return authorized(
                given,
                () -> new AdminPage<>(
                        imports.importJobs(offset(page, size), AdminPaging.size(size)).stream()
                                .map(job -> new ImportView(
                                        job,
                                        board.get(CrowdTagImportService.PROGRESS_KIND, job.batchId())
                                                .orElse(null)))
                                .toList(),
                        imports.countImportJobs(),
                        page,
                        size));
    }

    /** Read-only: the switches as configured ({@code gbm.switch.*}) or as the live switch store has them. */
    @GetMapping("switches")
    public ResponseEntity<Response<SwitchesView>> switches(
            @RequestHeader(value = "X-Admin-Token", required = false) String given) {
        return authorized(given, () -> {
            MarketSwitchesVO current = switches.current();
            return new SwitchesView(
                    current.isDegrade(),
                    current.getCutRangePercent(),
                    switches.getClass().getSimpleName(),
                    Instant.now(clock));
        });
    }

    private static int offset(int page, int size) {
        return AdminPaging.page(page) * AdminPaging.size(size);
    }

    private <T> ResponseEntity<Response<T>> authorized(String given, Supplier<T> action) {
        if (adminToken.caller(given) == null) {
            return AdminToken.refusal();
        }
        return ResponseEntity.ok(Envelope.success(action.get()));
    }

    /**
     * A path variable of the right shape that names nothing: {@code 0002} saying so (HTTP 200, as the run of an unknown
     * import batch and a change of an unknown switch are answered), never an empty page that reads as "nothing there".
     */
    private static AppException namesNothing(String name, String value, String what) {
        return new AppException(
                ResponseCode.ILLEGAL_PARAMETER, "illegal parameter: " + name + " " + value + " names no " + what);
    }

    static void requireText(String name, String value, int max) {
        if (value == null
                || value.isBlank()
                || value.length() > max
                || !value.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new AppException(
                    ResponseCode.ILLEGAL_PARAMETER,
                    "illegal parameter: " + name + " must be 1 to " + max + " printable ASCII characters");
        }
    }
}
