package com.groupbuy.market.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The reading of {@code SHOW ENGINE INNODB STATUS} that the lock-wait ITs rely on, over reports MariaDB 10.11 wrote
 * (captured on 2026-12-03 with two sessions waiting on a third's {@code FOR UPDATE}): if the parser misread a report,
 * every test waiting for a waiter would time out or, worse, see a wait that is not there.
 */
class InnodbLockWaitsTest {

    /** Thread 36 waits for the primary-key record 5 that thread 34 holds; the holder is listed, waiting for nothing. */
    private static final String PRIMARY_WAIT = """
            LIST OF TRANSACTIONS FOR EACH SESSION:
            ---TRANSACTION 2129, ACTIVE 2 sec starting index read
            mysql tables in use 1, locked 1
            LOCK WAIT 2 lock struct(s), heap size 1128, 1 row lock(s)
            MariaDB thread id 36, OS thread handle 139825614894784, query id 4584 127.0.0.1 root Statistics
            select * from t where id=5 for update
            ------- TRX HAS BEEN WAITING 1511509 us FOR THIS LOCK TO BE GRANTED:
            RECORD LOCKS space id 69 page no 3 n bits 320 index PRIMARY of table `lead_probe`.`t` trx id 2129 \
            lock_mode X locks rec but not gap waiting
            Record lock, heap no 3 PHYSICAL RECORD: n_fields 4; compact format; info bits 0
             0: len 8; hex 0000000000000005; asc         ;;
             1: len 6; hex 00000000084c; asc      L;;
             2: len 7; hex d5000001c20120; asc        ;;
             3: len 1; hex 62; asc b;;

            ------------------
            ---TRANSACTION 2128, ACTIVE 3 sec
            2 lock struct(s), heap size 1128, 1 row lock(s)
            MariaDB thread id 34, OS thread handle 139825615201984, query id 4580 127.0.0.1 root User sleep
            select sleep(6)
            --------
            FILE I/O
            """;

    /**
     * Thread 39 waits for the secondary index {@code ik}'s record ('b', 5), and thread 40's insert waits for the gap
     * before it; both are held by thread 38.
     */
    private static final String SECONDARY_AND_GAP_WAITS = """
            ---TRANSACTION 2134, ACTIVE 2 sec starting index read
            mysql tables in use 1, locked 1
            LOCK WAIT 2 lock struct(s), heap size 1128, 1 row lock(s)
            MariaDB thread id 39, OS thread handle 139825613973184, query id 4603 127.0.0.1 root Sending data
            select * from t where k='b' for update
            ------- TRX HAS BEEN WAITING 1503786 us FOR THIS LOCK TO BE GRANTED:
            RECORD LOCKS space id 69 page no 4 n bits 320 index ik of table `lead_probe`.`t` trx id 2134 \
            lock_mode X waiting
            Record lock, heap no 3 PHYSICAL RECORD: n_fields 2; compact format; info bits 0
             0: len 1; hex 62; asc b;;
             1: len 8; hex 0000000000000005; asc         ;;

            ------------------
            ---TRANSACTION 2133, ACTIVE 2 sec inserting
            mysql tables in use 1, locked 1
            LOCK WAIT 2 lock struct(s), heap size 1128, 1 row lock(s), undo log entries 1
            MariaDB thread id 40, OS thread handle 139825614280384, query id 4600 127.0.0.1 root Update
            insert into t values (4,'b')
            ------- TRX HAS BEEN WAITING 1506072 us FOR THIS LOCK TO BE GRANTED:
            RECORD LOCKS space id 69 page no 4 n bits 320 index ik of table `lead_probe`.`t` trx id 2133 \
            lock_mode X locks gap before rec insert intention waiting
            Record lock, heap no 3 PHYSICAL RECORD: n_fields 2; compact format; info bits 0
             0: len 1; hex 62; asc b;;
             1: len 8; hex 0000000000000005; asc         ;;

            ------------------
            ---TRANSACTION 2132, ACTIVE 3 sec
            4 lock struct(s), heap size 1128, 3 row lock(s)
            MariaDB thread id 38, OS thread handle 139825614587584, query id 4597 127.0.0.1 root User sleep
            select sleep(6)
            --------
            """;

    @Test
    void readsAWaitForAPrimaryKeyRecord() {
        List<InnodbLockWaits.Wait> waits = InnodbLockWaits.parse(PRIMARY_WAIT);

        assertThat(waits).hasSize(1);
        InnodbLockWaits.Wait wait = waits.get(0);
        assertThat(wait.thread()).isEqualTo(36);
        assertThat(wait.trx()).isEqualTo("2129");
        assertThat(wait.table()).isEqualTo("`lead_probe`.`t`");
        assertThat(wait.index()).isEqualTo("PRIMARY");
        assertThat(wait.mode()).isEqualTo("lock_mode X locks rec but not gap waiting");
        assertThat(wait.fields()).containsExactly("0000000000000005", "00000000084c", "d5000001c20120", "62");
        assertThat(wait.primaryKey(0)).isEqualTo(5L);
    }

    @Test
    void readsTheRowBehindASecondaryIndexRecordAndAGapWait() {
        List<InnodbLockWaits.Wait> waits = InnodbLockWaits.parse(SECONDARY_AND_GAP_WAITS);

        assertThat(waits).extracting(InnodbLockWaits.Wait::thread).containsExactly(39L, 40L);
        InnodbLockWaits.Wait record = waits.get(0);
        assertThat(record.index()).isEqualTo("ik");
        assertThat(record.mode()).isEqualTo("lock_mode X waiting");
        // ik has one column of its own; the primary key follows it in the secondary record.
        assertThat(record.primaryKey(1)).isEqualTo(5L);
        assertThat(record.primaryKey(0))
                .as("the 1-byte index value is not a BIGINT key")
                .isNull();
        assertThat(waits.get(1).mode()).contains("insert intention");
    }

    @Test
    void aReportWithoutWaitsHasNone() {
        assertThat(InnodbLockWaits.parse(
                        PRIMARY_WAIT.replaceAll("(?s)------- TRX HAS BEEN.*?------------------\n", "")))
                .isEmpty();
    }

    @Test
    void aLockLineItCannotReadIsAnErrorNotASilentMiss() {
        String unknown = PRIMARY_WAIT.replace("RECORD LOCKS space id 69", "PREDICATE LOCKS space id 69");

        assertThatThrownBy(() -> InnodbLockWaits.parse(unknown))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("PREDICATE LOCKS");
    }
}
