// What a query read, from its EXPLAIN (ANALYZE, FORMAT JSON) plan: the chunks (or tables) of the stored values it
// scanned and the stored rows those scans read.

/** The relations of the stored values: the tables, their TimescaleDB chunks (the compressed ones too). */
const VALUE_RELATION =
  /^(observation|observation_history|constraint_value|constraint_value_history|_hyper_\d+_\d+_chunk)$/;

export interface PlanStats {
  /** Distinct relations of the stored values a scan ran on (chunks on TimescaleDB, tables otherwise). */
  relations: number;
  /** Rows those scans read: returned plus removed by their filters (for a compressed chunk: decompressed). */
  rowsRead: number;
  /**
   * Whether rowsRead is an estimate: a scan repeated in a loop reports its rows per loop, rounded (PostgreSQL 15),
   * so a scan run 1,630 times for 0.4 rows each counts 0.
   */
  approximate: boolean;
}

interface PlanNode {
  'Relation Name'?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Rows Removed by Filter'?: number;
  'Rows Removed by Index Recheck'?: number;
  Plans?: PlanNode[];
}

export function planStats(explained: unknown): PlanStats {
  const root = (explained as { Plan: PlanNode }[])[0]?.Plan;
  const relations = new Set<string>();
  let rowsRead = 0;
  let approximate = false;
  const walk = (node: PlanNode) => {
    const name = node['Relation Name'];
    const loops = node['Actual Loops'] ?? 0;
    if (name !== undefined && VALUE_RELATION.test(name) && loops > 0) {
      relations.add(name);
      if (loops > 1) approximate = true;
      // EXPLAIN reports each of these per loop.
      rowsRead +=
        ((node['Actual Rows'] ?? 0) +
          (node['Rows Removed by Filter'] ?? 0) +
          (node['Rows Removed by Index Recheck'] ?? 0)) *
        loops;
    }
    // Below a decompressing scan: the compressed batches it read, counted above as the rows they held.
    if (name !== undefined && VALUE_RELATION.test(name)) return;
    for (const child of node.Plans ?? []) walk(child);
  };
  if (root) walk(root);
  return { relations: relations.size, rowsRead: Math.round(rowsRead), approximate };
}
