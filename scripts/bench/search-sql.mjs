// The SQL that CallSearchService (backend/src/products/recordings/search/call-search.service.ts) sends to
// MariaDB/MySQL for one search, written out by hand so the benchmark can time it straight on the
// database beside the API. Keep it in step with the service: the benchmark checks that both return the
// same ids and counts, and refuses a plan that differs.
//
// What TypeORM sends (read from the server's general log): the page's keys (`c.id`, `c.startedAt`) from
// `calls c` with every filter, ORDER BY startedAt, id, LIMIT 51 (one query, or one per party with USE
// INDEX on the party index); then the whole rows (every column as c_<name>, tenantId first) of those
// ids; and on a first page the capped count. Besides these, each API request also reads the user
// (session check), the tenant (time zone), the recording policy (operators) and the page's call_tags.

const reverse = (s) => [...s].reverse().join('');
const ORDER = 'ORDER BY `c_startedAt` DESC, `c_id` DESC'; // TypeORM orders by the select aliases
const SELECTIVE_DIGITS = 5; // prefix digits from which the party-index plan is taken
const SELECTIVE_SUFFIX_DIGITS = 4;

function numberClause(party, digits, match) {
  switch (match) {
    case 'exact':
      return [`\`c\`.\`${party}Digits\` = ?`, digits];
    case 'suffix':
      return [`\`c\`.\`${party}DigitsReversed\` LIKE ?`, `${reverse(digits)}%`];
    default:
      return [`\`c\`.\`${party}Digits\` LIKE ?`, `${digits}%`];
  }
}

/**
 * The statements of one search of `p` ({ number?, numberMatch?, extension? } over [from, to)) on
 * `columns` of calls: countLimit as in the service; timeoutSeconds bounds each statement.
 */
export function searchQueries({ columns, from, to, countLimit, timeoutSeconds }) {
  const selectAll = ['tenantId', ...columns.filter((c) => c !== 'tenantId')]
    .map((c) => `\`c\`.\`${c}\` AS \`c_${c}\``)
    .join(', ');

  /** One filtered statement's FROM … WHERE: number.party is caller|callee|any. */
  function filtered(tenantId, p, number, cursor) {
    const where = ['`c`.`tenantId` = ?', '`c`.`startedAt` >= ?', '`c`.`startedAt` < ?'];
    const params = [tenantId, from, to];
    let hint = '';
    if (number) {
      if (number.party === 'any') {
        const [a, pa] = numberClause('caller', number.digits, number.match);
        const [b, pb] = numberClause('callee', number.digits, number.match);
        where.push(`(${a} OR ${b})`);
        params.push(pa, pb);
      } else {
        const [a, pa] = numberClause(number.party, number.digits, number.match);
        where.push(a);
        params.push(pa);
        hint = ` USE INDEX (\`ix_calls_${number.party}${number.match === 'suffix' ? '_rev' : ''}\`)`;
      }
    }
    if (p.extension) {
      where.push('`c`.`extension` = ?');
      params.push(p.extension);
    }
    if (cursor) {
      where.push('(`c`.`startedAt` < ? OR (`c`.`startedAt` = ? AND `c`.`id` < ?))');
      params.push(new Date(cursor.t), new Date(cursor.t), cursor.id);
    }
    return { from: `FROM \`calls\` \`c\`${hint} WHERE ${where.join(' AND ')}`, params };
  }

  /** { plan, keys: [statement per walk], count: null | { parties: [caller, callee], union } | { any } }. */
  function searchSql(tenantId, p, cursor) {
    const match = p.numberMatch ?? 'prefix';
    const digits = p.number ?? '';
    const partyPlan =
      !!digits &&
      (match === 'exact' ||
        (match === 'prefix' && digits.length >= SELECTIVE_DIGITS) ||
        (match === 'suffix' && digits.length >= SELECTIVE_SUFFIX_DIGITS));
    const keysOf = (party) => {
      const f = filtered(tenantId, p, digits ? { party, digits, match } : undefined, cursor);
      return {
        sql: `SELECT \`c\`.\`id\` AS \`c_id\`, \`c\`.\`startedAt\` AS \`c_startedAt\` ${f.from} ${ORDER} LIMIT 51`,
        params: f.params,
      };
    };
    const keys = partyPlan ? [keysOf('caller'), keysOf('callee')] : [keysOf('any')];
    let count = null;
    if (!cursor) {
      const capped = (f) => ({
        sql: `SELECT COUNT(*) AS n FROM (SELECT 1 AS \`one\` ${f.from} LIMIT ${countLimit + 1}) capped`,
        params: f.params,
      });
      if (digits && match !== 'contains') {
        const [a, b] = ['caller', 'callee'].map((party) => filtered(tenantId, p, { party, digits, match }));
        count = {
          parties: [capped(a), capped(b)],
          union: {
            sql: `SELECT COUNT(*) AS n FROM (SELECT \`c\`.\`id\` AS \`id\` ${a.from} UNION SELECT \`c\`.\`id\` AS \`id\` ${b.from}) matched`,
            params: [...a.params, ...b.params],
          },
        };
      } else {
        count = { any: capped(filtered(tenantId, p, digits ? { party: 'any', digits, match } : undefined)) };
      }
    }
    return { plan: partyPlan ? 'party-index' : 'time-index', keys, count };
  }

  const TIMED_OUT = { ids: null, next: null, total: null, itemsMs: Infinity, countMs: Infinity, ms: Infinity };
  const timed = (sql) => `SET STATEMENT max_statement_time = ${timeoutSeconds} FOR ${sql}`;
  const isTimeout = (e) => e?.errno === 1969 || e?.code === 'ER_STATEMENT_TIMEOUT';
  const query = (pool, x) => pool.query(timed(x.sql), x.params).then(([rows]) => rows);

  async function countOf(pool, count) {
    if (count.any) return Math.min(countLimit, Number((await query(pool, count.any))[0].n));
    const sides = await Promise.all(count.parties.map((x) => query(pool, x)));
    if (sides.some(([row]) => Number(row.n) > countLimit)) return countLimit;
    return Math.min(countLimit, Number((await query(pool, count.union))[0].n));
  }

  /** Runs one search like the service (party walks in parallel on pooled connections): ids, cursor, times. */
  async function runSearch(pool, s, tenantId) {
    try {
      const t0 = performance.now();
      const walks = await Promise.all(s.keys.map((x) => query(pool, x)));
      const byId = new Map(walks.flat().map((r) => [r.c_id, r]));
      const keys = [...byId.values()]
        .sort((x, y) => y.c_startedAt - x.c_startedAt || (x.c_id < y.c_id ? 1 : x.c_id > y.c_id ? -1 : 0))
        .slice(0, 51);
      const ids = keys.map((k) => k.c_id);
      if (ids.length) {
        const rows = await query(pool, {
          sql: `SELECT ${selectAll} FROM \`calls\` \`c\` WHERE \`c\`.\`tenantId\` = ? AND \`c\`.\`id\` IN (${ids.map(() => '?').join(', ')})`,
          params: [tenantId, ...ids],
        });
        if (rows.length !== ids.length) throw new Error(`rows of the page: ${rows.length} of ${ids.length}`);
      }
      const t1 = performance.now();
      const total = s.count ? await countOf(pool, s.count) : null;
      const t2 = performance.now();
      const last = keys[Math.min(49, keys.length - 1)];
      return {
        ids: ids.slice(0, 50),
        next: keys.length > 50 ? { t: last.c_startedAt.getTime(), id: last.c_id } : null,
        total,
        itemsMs: t1 - t0,
        countMs: s.count ? t2 - t1 : null,
        ms: t2 - t0,
      };
    } catch (e) {
      if (isTimeout(e)) return TIMED_OUT;
      throw e;
    }
  }

  /** EXPLAIN of each statement of a search (the rows-by-id step is a primary-key lookup and left out). */
  async function explain(pool, s) {
    const statements = s.keys.map((x, i) => [s.keys.length > 1 ? `keys (${i ? 'callee' : 'caller'})` : 'keys', x]);
    if (s.count?.any) statements.push(['count', s.count.any]);
    if (s.count?.parties)
      statements.push(['count (caller)', s.count.parties[0]], ['count (callee)', s.count.parties[1]]);
    const out = [];
    for (const [label, x] of statements) {
      const [rows] = await pool.query(`EXPLAIN ${x.sql}`, x.params);
      for (const e of rows) {
        out.push({ query: label, type: e.type, key: e.key, rows: Number(e.rows), extra: e.Extra });
      }
    }
    return out;
  }

  return { searchSql, runSearch, explain };
}
