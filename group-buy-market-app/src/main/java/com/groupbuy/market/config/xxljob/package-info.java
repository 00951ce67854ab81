/**
 * The XXL-Job executor as we run it: BEAN handlers only, bound to its configured address, watched registration.
 *
 * <p>Its HTTP endpoint, in the order a connection meets it: {@link ExecutorHttpServer} binds and wires it, {@link
 * OpenConnections} caps connections per address and in total, {@link TokenGate} keeps no body without the right token,
 * {@link BoundedAggregator} bounds the body, {@link ExecutorRequestHandler} checks {@code Host} and hands the request
 * to the pool, where {@link ExecutorCalls} counts the token and calls the library ({@code /log} paged by {@link
 * ExecutorLogPage}). {@link Refusals} logs what anyone can cause at most once a minute.
 */
package com.groupbuy.market.config.xxljob;
