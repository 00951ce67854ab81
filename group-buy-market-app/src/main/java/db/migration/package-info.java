/**
 * Schema migrations written in Java, found by Flyway on {@code classpath:db/migration} beside the SQL ones: those that
 * must run outside one transaction (a data rewrite in small steps on a table that grows with trade).
 */
package db.migration;
