// The stored workflow histories the replay tests check every build against, and their manifest files.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import type { temporal } from '@temporalio/proto';
import { z } from 'zod';

export const REPLAY_HISTORIES_DIR = join(__dirname, 'histories');

export const WORKFLOW_TYPES = [
  'deliveryDayWorkflow',
  'backfillWorkflow',
  'pollWorkflow',
  'publicationWindowWorkflow',
  'reprocessWorkflow',
  'reprocessDayWorkflow',
  'archiveWorkflow',
  'restoreWorkflow',
  'badDaysSyncWorkflow',
  'badDayWorkflow',
  'badDayMarkersWorkflow',
  'monitoringWorkflow',
] as const;
export type WorkflowTypeName = (typeof WORKFLOW_TYPES)[number];

const manifestSchema = z.object({
  label: z.string(),
  capturedAt: z.string(),
  buildId: z.string(),
  histories: z.array(
    z.object({
      file: z.string(),
      scenario: z.string(),
      workflowType: z.enum(WORKFLOW_TYPES),
      workflowId: z.string(),
      ending: z.string(),
    }),
  ),
});

export type HistoryManifest = z.infer<typeof manifestSchema>;
export type HistoryManifestEntry = HistoryManifest['histories'][number];

export interface StoredHistory extends HistoryManifestEntry {
  /** `<label>/<file>`: where it is, and the name a failing replay is reported under. */
  name: string;
  history: temporal.api.history.v1.IHistory;
}

/** Every captured set (one folder per label), each history parsed. */
export function loadStoredHistories(dir = REPLAY_HISTORIES_DIR): StoredHistory[] {
  if (!existsSync(dir)) return [];
  const stored: StoredHistory[] = [];
  for (const label of readdirSync(dir).sort()) {
    const manifestPath = join(dir, label, 'manifest.json');
    if (!existsSync(manifestPath)) continue;
    const manifest = manifestSchema.parse(JSON.parse(readFileSync(manifestPath, 'utf8')));
    for (const entry of manifest.histories) {
      const history = historyFromJSON(JSON.parse(readFileSync(join(dir, label, entry.file), 'utf8')));
      stored.push({ ...entry, name: `${label}/${entry.file}`, history });
    }
  }
  return stored;
}
