// docs/reference/alerts.md: the recording and alerting rules of deploy/prometheus/jao.rules.yml, read with `yaml`.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { anchor, code, factsTable, generatedNotice, page, table } from './markdown';

export const RULES_FILE = 'deploy/prometheus/jao.rules.yml';

const strings = z.record(z.string(), z.string());
const rulesSchema = z.object({
  groups: z.array(
    z.object({
      name: z.string(),
      rules: z.array(
        z.union([
          z.object({ record: z.string(), expr: z.string(), labels: strings.optional() }).strict(),
          z
            .object({
              alert: z.string(),
              expr: z.string(),
              for: z.string().optional(),
              labels: strings.optional(),
              annotations: strings.optional(),
            })
            .strict(),
        ]),
      ),
    }),
  ),
});

type Rule = z.infer<typeof rulesSchema>['groups'][number]['rules'][number];
type AlertRule = Extract<Rule, { alert: string }>;
type RecordingRule = Extract<Rule, { record: string }>;

const isAlert = (rule: Rule): rule is AlertRule => 'alert' in rule;
const isRecording = (rule: Rule): rule is RecordingRule => 'record' in rule;

const sorted = (record: Record<string, string> | undefined) =>
  Object.entries(record ?? {}).sort(([a], [b]) => a.localeCompare(b));

function alertSection(rule: AlertRule, group: string): string[] {
  const labels = sorted(rule.labels);
  const annotations = sorted(rule.annotations);
  return [
    `### ${rule.alert}`,
    '',
    ...factsTable([
      ['group', group],
      ['for', rule.for ? code(rule.for) : 'at once'],
      ...labels.map(([name, value]): [string, string] => [`label ${code(name)}`, code(value)]),
      ...annotations.map(([name, value]): [string, string] => [`annotation ${code(name)}`, value]),
    ]),
    '',
    '```promql',
    rule.expr.trim(),
    '```',
    '',
  ];
}

export function renderAlerts(root: string): string {
  const rules = rulesSchema.parse(parse(readFileSync(join(root, RULES_FILE), 'utf8')));
  const withGroup = <R extends Rule>(is: (rule: Rule) => rule is R) =>
    rules.groups.flatMap((group) => group.rules.filter(is).map((rule) => ({ group: group.name, rule })));
  const alerts = withGroup(isAlert);
  const recordings = withGroup(isRecording);
  return page([
    generatedNotice(RULES_FILE),
    '',
    '# Alerts',
    '',
    `The Prometheus alerting rules of \`${RULES_FILE}\` (${alerts.length} alerts), in the file's order, and the`,
    'recording rules they read. The rules are tested by `promtool test rules` (deploy/prometheus/jao.rules.test.yml).',
    '',
    '## Summary',
    '',
    ...table(
      ['alert', 'severity', 'for', 'summary'],
      alerts.map(({ rule }) => [
        `[${rule.alert}](#${anchor(rule.alert)})`,
        rule.labels?.severity,
        rule.for ?? 'at once',
        rule.annotations?.summary ? code(rule.annotations.summary) : null,
      ]),
    ),
    '',
    '## Alerting rules',
    '',
    ...alerts.flatMap(({ rule, group }) => alertSection(rule, group)),
    '## Recording rules',
    '',
    ...table(
      ['record', 'group', 'expression'],
      recordings.map(({ rule, group }) => [code(rule.record), group, code(rule.expr.trim())]),
    ),
  ]);
}
