package com.groupbuy.market.domain.activity.service.trial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.groupbuy.market.domain.activity.adapter.repository.IActivityRepository;
import com.groupbuy.market.domain.activity.model.entity.MarketProductEntity;
import com.groupbuy.market.domain.activity.model.entity.TrialBalanceEntity;
import com.groupbuy.market.domain.activity.model.valobj.ActivityStatus;
import com.groupbuy.market.domain.activity.model.valobj.ActivityVO;
import com.groupbuy.market.domain.activity.model.valobj.DiscountType;
import com.groupbuy.market.domain.activity.model.valobj.DiscountVO;
import com.groupbuy.market.domain.activity.model.valobj.MarketConfigVO;
import com.groupbuy.market.domain.activity.model.valobj.MarketSwitchesVO;
import com.groupbuy.market.domain.activity.model.valobj.SkuVO;
import com.groupbuy.market.domain.activity.model.valobj.TagScope;
import com.groupbuy.market.types.exception.AppException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The trial's rule tree over in-memory ports: the order of the checks, the routing, and the audience rules. */
class IndexGroupBuyMarketServiceTest {

    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

    private ActivityVO activity = activity(null, Set.of());
    private DiscountVO discount = discount(DiscountType.BASE, null);
    /** What sc_sku_activity maps s01/c01/g1 to (null: no mapping), and whether goods g1 exists. */
    private Long mappedActivityId = 7L;

    private boolean goodsExists = true;
    private BigDecimal originalPrice = new BigDecimal("100.00");
    private boolean degrade;
    private int repositoryReads;
    /** (tag, source, channel, user) that are members; every membership question asked, in order. */
    private final Set<String> members = new HashSet<>();

    private final List<String> asked = new ArrayList<>();

    private final IActivityRepository repository = new IActivityRepository() {
        @Override
        public MarketConfigVO queryMarketConfig(String source, String channel, String goodsId) {
            repositoryReads++;
            Long mapped =
                    "s01".equals(source) && "c01".equals(channel) && "g1".equals(goodsId) ? mappedActivityId : null;
            ActivityVO mappedActivity =
                    mapped != null && activity.getActivityId().equals(mapped) ? activity : null;
            SkuVO sku = !goodsExists
                    ? null
                    : SkuVO.builder()
                            .goodsId(goodsId)
                            .goodsName("g")
                            .originalPrice(originalPrice)
                            .build();
            return new MarketConfigVO(mapped, mappedActivity, mappedActivity == null ? null : discount, sku);
        }
    };

    private final IndexGroupBuyMarketService service = new IndexGroupBuyMarketService(
            repository,
            () -> new MarketSwitchesVO(degrade, 100),
            (tagId, source, channel, userId) -> {
                asked.add(tagId + "/" + source + "/" + channel + "/" + userId);
                return members.contains(tagId + "/" + source + "/" + channel + "/" + userId);
            },
            Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void degradeRefusesBeforeAnyConfigurationIsRead() {
        degrade = true;

        assertThatThrownBy(() -> trial("u1")).isInstanceOf(AppException.class).hasMessageStartingWith("E0003");
        assertThat(repositoryReads).isZero();
    }

    @Test
    void anActivityForEveryoneNeverAsksForMembership() {
        TrialBalanceEntity trial = trial("u1");

        assertThat(asked).isEmpty();
        assertThat(trial.isVisible()).isTrue();
        assertThat(trial.isEnable()).isTrue();
        assertThat(trial.getPayPrice()).isEqualByComparingTo("80.00");
    }

    @Test
    void scopeVisibleHidesTheGroupPriceFromNonMembersOnly() {
        activity = activity("VIP", Set.of(TagScope.VISIBLE));
        members.add("VIP/s01/c01/member");

        TrialBalanceEntity member = trial("member");
        TrialBalanceEntity outsider = trial("outsider");

        assertThat(member.isVisible()).isTrue();
        assertThat(member.isEnable()).isTrue();
        assertThat(outsider.isVisible()).isFalse();
        assertThat(outsider.isEnable()).isTrue();
        assertThat(outsider.shownPayPrice()).isEqualByComparingTo("100.00");
        assertThat(outsider.shownDeductionPrice()).isEqualByComparingTo("0");
    }

    @Test
    void scopeEnableStopsNonMembersJoiningButLetsThemSeeThePrice() {
        activity = activity("VIP", Set.of(TagScope.ENABLE));
        members.add("VIP/s01/c01/member");

        TrialBalanceEntity member = trial("member");
        TrialBalanceEntity outsider = trial("outsider");

        assertThat(member.isEnable()).isTrue();
        assertThat(outsider.isVisible()).isTrue();
        assertThat(outsider.isEnable()).isFalse();
        assertThat(outsider.shownPayPrice()).isEqualByComparingTo("80.00");
    }

    @Test
    void aTagWithoutScopeRestrictsNothing() {
        activity = activity("VIP", Set.of());

        TrialBalanceEntity outsider = trial("outsider");

        assertThat(outsider.isVisible()).isTrue();
        assertThat(outsider.isEnable()).isTrue();
    }

    @Test
    void aTagDiscountAppliesToItsMembersOnly() {
        discount = discount(DiscountType.TAG, "NEW");
        members.add("NEW/s01/c01/member");

        assertThat(trial("member").getPayPrice()).isEqualByComparingTo("80.00");
        TrialBalanceEntity outsider = trial("outsider");
        assertThat(outsider.getPayPrice()).isEqualByComparingTo("100.00");
        assertThat(outsider.getDeductionPrice()).isEqualByComparingTo("0");
        // The activity itself is open to everyone.
        assertThat(outsider.isVisible()).isTrue();
        assertThat(outsider.isEnable()).isTrue();
    }

    @Test
    void theSameTagForAudienceAndDiscountIsAskedOnce() {
        activity = activity("VIP", Set.of(TagScope.VISIBLE, TagScope.ENABLE));
        discount = discount(DiscountType.TAG, "VIP");
        members.add("VIP/s01/c01/member");

        TrialBalanceEntity member = trial("member");

        assertThat(asked).containsExactly("VIP/s01/c01/member");
        assertThat(member.getPayPrice()).isEqualByComparingTo("80.00");
        assertThat(member.isVisible()).isTrue();
        assertThat(member.isEnable()).isTrue();
    }

    /** Every state but effective, a status no code of ours knows too, answers E0101 before any membership is asked. */
    @Test
    void activityStateIsCheckedBeforeMembership() {
        for (ActivityStatus status : ActivityStatus.values()) {
            if (status == ActivityStatus.EFFECTIVE) {
                continue;
            }
            activity = effectiveActivity("VIP", Set.of(TagScope.ENABLE))
                    .status(status)
                    .build();

            assertThatThrownBy(() -> trial("u1"))
                    .as("status %s", status)
                    .isInstanceOf(AppException.class)
                    .hasMessageStartingWith("E0101");
        }
        assertThat(asked).isEmpty();
    }

    @Test
    void aLockNamingTheMappedActivityIsPricedAndAnyOtherActivityIsRefusedSayingWhich() {
        activity = activity(null, Set.of());

        TrialBalanceEntity mapped = trial("u1", "s01", "c01", 7L);

        assertThat(mapped.getActivityId()).isEqualTo(7L);
        assertThat(mapped.getPayPrice()).isEqualByComparingTo("80.00");
        assertRefused(
                () -> trial("u1", "s01", "c01", 8L),
                "activity 8 is not the group-buy activity of goods g1 through source s01 channel c01");
        mappedActivityId = 9L; // activity 7 exists, but s01/c01 sells g1 through activity 9
        assertRefused(
                () -> trial("u1", "s01", "c01", 7L),
                "activity 7 is not the group-buy activity of goods g1 through source s01 channel c01");
    }

    @Test
    void anotherSourceOrChannelWithoutTheMappingIsRefusedEvenWhenItNamesTheActivity() {
        assertRefused(
                () -> trial("u1", "s99", "c99", 7L),
                "goods g1 has no group-buy activity through source s99 channel c99");
        assertRefused(
                () -> trial("u1", "s01", "c99", null),
                "goods g1 has no group-buy activity through source s01 channel c99");
    }

    @Test
    void unknownGoodsActivityOrDiscountEachSayWhatIsUnknown() {
        goodsExists = false;
        assertRefused(() -> trial("u1"), "unknown goods g1");

        goodsExists = true;
        mappedActivityId = 8L; // a mapping to an activity row that does not exist
        assertRefused(() -> trial("u1"), "unknown activity 8");

        mappedActivityId = 7L;
        discount = null;
        assertRefused(() -> trial("u1"), "activity 7 names discount d, which is unknown");
    }

    /**
     * A take limit below 1 lets no buyer lock at all: on main the trial priced the goods and listed its teams as for any
     * activity, and every lock answered E0103 "participation limit reached" to buyers who had taken nothing. Refused
     * by name, as a target or a team validity below 1 is.
     */
    @Test
    void anActivityWithATakeLimitBelowOneIsRefusedByName() {
        for (int limit : new int[] {0, -1}) {
            activity = effectiveActivity(null, Set.of()).takeLimitCount(limit).build();

            assertRefused(() -> trial("u1"), "activity 7 has take limit " + limit + " (a buyer needs at least 1 take)");
        }
    }

    /**
     * A team's completion callback lists every member, so its size is bounded ({@link ActivityVO#MAX_TARGET}, V17): on
     * main any target above 0 was priced and its teams opened, one of 20,000 members could fill and its callback not
     * be stored. Refused by name at the largest target plus one; the largest itself is priced.
     */
    @Test
    void anActivityWithATargetAboveTheLargestTeamIsRefusedByName() {
        for (int target : new int[] {ActivityVO.MAX_TARGET + 1, Integer.MAX_VALUE}) {
            activity = withTarget(target);

            assertRefused(() -> trial("u1"), "activity 7 has target " + target + " (a team has 1 to 10000 members)");
        }
        activity = withTarget(ActivityVO.MAX_TARGET);
        assertThat(trial("u1").getTargetCount()).isEqualTo(10_000);
    }

    /**
     * The smallest values a team and a buyer can be made of are priced, at the one instant the trial judged at: a
     * team of one, valid one minute, one take per buyer. A goods priced at nothing is refused by name.
     */
    @Test
    void theSmallestTeamValidityAndTakeLimitArePricedAndAFreeGoodsIsRefused() {
        activity = effectiveActivity(null, Set.of())
                .target(1)
                .validTimeMinutes(1)
                .takeLimitCount(1)
                .build();

        TrialBalanceEntity trial = trial("u1");

        assertThat(trial.getTargetCount()).isEqualTo(1);
        assertThat(trial.getJudgedAt()).isEqualTo(NOW);
        assertThat(trial.getPayPrice()).isEqualByComparingTo("80.00");

        originalPrice = new BigDecimal("0.00");
        assertRefused(() -> trial("u1"), "goods g1 has original price 0.00 (must be above 0)");
    }

    private static ActivityVO withTarget(int target) {
        return effectiveActivity(null, Set.of()).target(target).build();
    }

    /**
     * An audience tag's scope with an entry that is neither 1 nor 2 (a full-width comma between them, a "3") is refused
     * by name before any membership is asked; on main such entries were dropped and the activity restricted no one.
     */
    @Test
    void anAudienceTagWithAnUnknownScopeEntryIsRefusedBeforeMembership() {
        for (String stored : new String[] {"1\uFF0C2", "3", "1,x"}) {
            activity = effectiveActivity("VIP", TagScope.parse(stored))
                    .unknownTagScope(TagScope.isKnownList(stored) ? null : stored)
                    .build();

            assertRefused(
                    () -> trial("u1"),
                    "activity 7 has tag scope '" + stored + "' (a comma list of 1, non-members do not see the group "
                            + "price, and 2, non-members may not join)");
        }
        assertThat(asked).isEmpty();
        assertThat(TagScope.isKnownList(null)).isTrue();
        assertThat(TagScope.isKnownList(" 1 , 2,")).isTrue();
    }

    /**
     * A discount type other than 0 (everyone) or 1 (members of its tag): on main any other value was taken as a base
     * discount, so a type the operator mistyped for "members only" gave every buyer the group price. Refused by name.
     */
    @Test
    void aDiscountOfAnUnknownTypeIsRefusedByName() {
        for (Integer type : new Integer[] {2, -1, null}) {
            discount = DiscountVO.builder()
                    .discountId("d")
                    .discountType(DiscountType.UNKNOWN)
                    .unknownTypeCode(type)
                    .marketPlan("ZJ")
                    .marketExpr("20")
                    .tagId("VIP")
                    .build();

            assertRefused(
                    () -> trial("u1"), "discount d has type " + type + " (0 for everyone, 1 for members of its tag)");
        }
        assertThat(asked).isEmpty();
    }

    /**
     * A members-only discount (type 1) naming no tag: on main no tag meant no restriction, so every buyer, member of
     * nothing, paid the members' price. A blank tag is no tag either. Refused by name before any membership is asked.
     */
    @Test
    void aMembersOnlyDiscountNamingNoTagIsRefusedByName() {
        discount = discount(DiscountType.TAG, null);
        assertRefused(() -> trial("u1"), "discount d is for members of its tag (type 1) but names no tag");
        for (String blank : new String[] {"", "  "}) {
            discount = discount(DiscountType.TAG, blank);
            assertRefused(
                    () -> trial("u1"),
                    "discount d is for members of its tag (type 1) but names a blank tag '" + blank + "'");
        }
        assertThat(asked).isEmpty();

        // A discount for everyone needs no tag.
        discount = discount(DiscountType.BASE, null);
        assertThat(trial("u1").getPayPrice()).isEqualByComparingTo("80.00");
    }

    /**
     * A discount for everyone (type 0, the column's default) naming a tag: on main the tag was never asked, so every
     * buyer paid the price the operator wrote for the tag's members (a members-only discount inserted without its
     * type is such a row). Which of the two the operator meant cannot be told: refused by name, as a members-only
     * discount naming no tag is, before any membership is asked. A blank tag is no tag, as for type 1.
     */
    @Test
    void aDiscountForEveryoneNamingATagIsRefusedByName() {
        discount = discount(DiscountType.BASE, "VIP");

        assertRefused(
                () -> trial("u1"),
                "discount d is for everyone (type 0) but names tag 'VIP' (type 1 prices that tag's members only)");
        assertThat(asked).isEmpty();

        for (String blank : new String[] {"", "  "}) {
            discount = discount(DiscountType.BASE, blank);
            assertThat(trial("u1").getPayPrice()).as("blank tag '%s'", blank).isEqualByComparingTo("80.00");
        }
    }

    private static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String what) {
        assertThatThrownBy(call).isInstanceOfSatisfying(AppException.class, e -> {
            assertThat(e.getCode()).isEqualTo("E0002");
            assertThat(e.getInfo()).isEqualTo("no group-buy configuration: " + what);
        });
    }

    private TrialBalanceEntity trial(String userId, String source, String channel, Long activityId) {
        return service.indexMarketTrial(MarketProductEntity.builder()
                .userId(userId)
                .source(source)
                .channel(channel)
                .goodsId("g1")
                .activityId(activityId)
                .build());
    }

    private TrialBalanceEntity trial(String userId) {
        return service.indexMarketTrial(MarketProductEntity.builder()
                .userId(userId)
                .source("s01")
                .channel("c01")
                .goodsId("g1")
                .build());
    }

    private static ActivityVO activity(String tagId, Set<TagScope> scopes) {
        return effectiveActivity(tagId, scopes).build();
    }

    /** Activity 7 with discount d, effective and open now: teams of 3 valid 15 minutes, one take per user. */
    private static ActivityVO.ActivityVOBuilder effectiveActivity(String tagId, Set<TagScope> scopes) {
        return ActivityVO.builder()
                .activityId(7L)
                .discountId("d")
                .status(ActivityStatus.EFFECTIVE)
                .takeLimitCount(1)
                .target(3)
                .validTimeMinutes(15)
                .startTime(NOW.minus(1, ChronoUnit.DAYS))
                .endTime(NOW.plus(1, ChronoUnit.DAYS))
                .tagId(tagId)
                .tagScopes(scopes);
    }

    private static DiscountVO discount(DiscountType type, String tagId) {
        return DiscountVO.builder()
                .discountId("d")
                .discountName("d")
                .discountType(type)
                .marketPlan("ZJ")
                .marketExpr("20")
                .tagId(tagId)
                .build();
    }
}
